package org.essaim.internet;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/** The discovery files are public, stateless, and need no CSRF protection (GET only). */
@Configuration(proxyBeanMethods = false)
public class DiscoverySecurity {

    @Bean
    @Order(0)
    SecurityFilterChain discoveryFilterChain(HttpSecurity http) throws Exception {
        http.securityMatcher("/.well-known/mta-sts.txt", "/mail/config-v1.1.xml", "/.well-known/autoconfig/**",
                        "/.well-known/essaim/dkim-retired/**")
                .authorizeHttpRequests(auth -> auth.anyRequest().permitAll())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable());
        return http.build();
    }
}
