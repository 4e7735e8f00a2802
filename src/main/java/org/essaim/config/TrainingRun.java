package org.essaim.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * {@code essaim.training-run=true}: start completely (web, mail server, first admin), then stop at once. bin/essaim
 * and the Dockerfile run it once with {@code -XX:ArchiveClassesAtExit} so that the JVM records every class a real
 * start loads into a class data sharing archive, which later starts map instead of loading and verifying each class
 * again (Spring Boot's own {@code spring.context.exit=onRefresh} stops before the mail server starts, and would leave
 * James' classes out).
 */
@Component
@ConditionalOnProperty(name = "essaim.training-run", havingValue = "true")
class TrainingRun implements ApplicationListener<ApplicationReadyEvent> {
    private static final Logger LOGGER = LoggerFactory.getLogger(TrainingRun.class);

    @Override
    public void onApplicationEvent(ApplicationReadyEvent ready) {
        LOGGER.info("Training run: started, stopping now");
        System.exit(SpringApplication.exit(ready.getApplicationContext()));
    }
}
