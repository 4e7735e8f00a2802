package org.essaim.standby;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * {@code /api/standby/**} is for the standby server, not for people: no session, no password; {@link StandbyApi}
 * lets in only requests carrying the shared token ({@link StandbyToken}).
 */
@Configuration(proxyBeanMethods = false)
class StandbyApiSecurity {

    @Bean
    @Order(0)
    SecurityFilterChain standbyFilterChain(HttpSecurity http) throws Exception {
        http.securityMatcher("/api/standby/**")
                .authorizeHttpRequests(auth -> auth.anyRequest().permitAll())
                .sessionManagement(session -> session.sessionCreationPolicy(
                        org.springframework.security.config.http.SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable());
        return http.build();
    }
}
