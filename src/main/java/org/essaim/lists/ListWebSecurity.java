package org.essaim.lists;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The lists' public pages (archives, list pages, confirmation and one-click unsubscribe) need no login. Their POSTs
 * carry no CSRF token: mail providers send RFC 8058 one-click POSTs from their own servers, and each POST is
 * authorised by the signed or random token in its URL (subscribing only sends a confirmation message).
 */
@Configuration(proxyBeanMethods = false)
class ListWebSecurity {

    @Bean
    @Order(0)
    SecurityFilterChain listPagesFilterChain(HttpSecurity http) throws Exception {
        http.securityMatcher("/archives/**", "/lists/info/**", "/lists/confirm/**", "/lists/unsubscribe/**")
                .authorizeHttpRequests(auth -> auth.anyRequest().permitAll())
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable());
        return http.build();
    }
}
