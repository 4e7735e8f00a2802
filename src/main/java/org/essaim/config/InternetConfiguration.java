package org.essaim.config;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Registers {@link InternetProperties} beside {@link EssaimProperties}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(InternetProperties.class)
public class InternetConfiguration {
}
