package org.essaim.security;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The machine-facing HTTP surface: the JSON API, Web Key Directory and HKP. Scripts authenticate with
 * HTTP Basic (same password as IMAP), browsers with their session cookie (SameSite=strict, so no CSRF token).
 * Public key discovery is open to anyone, as the standards require.
 */
@Configuration(proxyBeanMethods = false)
public class ApiSecurity {

    @Bean
    @Order(1)
    SecurityFilterChain apiFilterChain(HttpSecurity http) throws Exception {
        http.securityMatcher("/api/**", "/.well-known/openpgpkey/**", "/pks/**")
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/.well-known/openpgpkey/**", "/pks/**").permitAll()
                        .requestMatchers(HttpMethod.GET, "/api/keys/*").permitAll()
                        .requestMatchers("/api/admin/**").hasRole("ADMIN")
                        .anyRequest().authenticated())
                .httpBasic(Customizer.withDefaults())
                .csrf(csrf -> csrf.disable());
        return http.build();
    }
}
