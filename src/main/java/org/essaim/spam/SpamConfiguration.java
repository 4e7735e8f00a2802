package org.essaim.spam;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Registers {@code essaim.spam.*}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SpamSettings.class)
class SpamConfiguration {
}
