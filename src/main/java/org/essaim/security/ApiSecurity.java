package org.essaim.security;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.essaim.config.EssaimProperties;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.core.Authentication;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;

/**
 * The machine-facing HTTP surface: the JSON API, Web Key Directory and HKP. Scripts authenticate with
 * HTTP Basic (same password as IMAP), only over TLS or from loopback; browsers with their session cookie
 * (SameSite=strict, so no CSRF token). Public key discovery is open to anyone, as the standards require.
 * Refusals are JSON ({"error": "..."}) like every other API answer.
 */
@Configuration(proxyBeanMethods = false)
public class ApiSecurity {

    /** Health probes for the operator's tools: up or down, no details, to anyone (docs/operations.md). */
    @Bean
    @Order(0)
    SecurityFilterChain healthFilterChain(HttpSecurity http) throws Exception {
        http.securityMatcher("/actuator/health", "/actuator/health/**")
                .authorizeHttpRequests(auth -> auth.requestMatchers(HttpMethod.GET).permitAll().anyRequest().denyAll())
                .csrf(csrf -> csrf.disable());
        return http.build();
    }

    @Bean
    @Order(1)
    SecurityFilterChain apiFilterChain(HttpSecurity http, EssaimProperties properties) throws Exception {
        boolean publicAudit = properties.audit().publicLog();
        http.securityMatcher("/api/**", "/.well-known/openpgpkey/**", "/pks/**")
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/.well-known/openpgpkey/**", "/pks/**").permitAll()
                        .requestMatchers(HttpMethod.GET, "/api/keys/*").permitAll()
                        // The audit log: members read it; anyone when the collective made it public.
                        .requestMatchers(HttpMethod.GET, "/api/audit", "/api/audit/**")
                        .access((authentication, context) -> new AuthorizationDecision(publicAudit
                                || isMember(authentication.get())))
                        // Signed statements: any account may send one, so that a member's attempt is refused and
                        // recorded as a refusal by governance (which checks admin role, key and signature).
                        .requestMatchers(HttpMethod.POST, "/api/admin/actions").authenticated()
                        // Spectators (proposed admins) read every admin page and act on nothing.
                        .requestMatchers(HttpMethod.GET, "/api/admin/**").hasAnyRole("ADMIN", "SPECTATOR")
                        .requestMatchers("/api/admin/**").hasRole("ADMIN")
                        .anyRequest().authenticated())
                .addFilterBefore(new BasicAuthOnlyOverTls(), BasicAuthenticationFilter.class)
                .httpBasic(basic -> basic.authenticationEntryPoint(loginRequired()).authenticationDetailsSource(request -> null))
                .headers(ResponseHeaders.forApi())
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint(loginRequired())
                        .accessDeniedHandler(forbidden()))
                .csrf(csrf -> csrf.disable());
        return http.build();
    }

    private static boolean isMember(Authentication authentication) {
        return authentication != null && authentication.isAuthenticated()
                && !(authentication instanceof AnonymousAuthenticationToken);
    }

    /** 429 with Retry-After when the login throttle refused the attempt; otherwise 401; the Basic challenge is left out for the webmail's own scripts so browsers show no password dialog. */
    private static AuthenticationEntryPoint loginRequired() {
        return (request, response, exception) -> {
            if (exception instanceof TooManyFailedLoginsException throttled) {
                response.setHeader("Retry-After", Long.toString(Math.max(1, throttled.retryAfter().toSeconds() + 1)));
                JsonErrors.write(response, 429, throttled.getMessage());
                return;
            }
            if (request.getHeader("X-Requested-With") == null) {
                response.setHeader("WWW-Authenticate", "Basic realm=\"Essaim\", charset=\"UTF-8\"");
            }
            JsonErrors.write(response, HttpServletResponse.SC_UNAUTHORIZED,
                    exception instanceof BadCredentialsException
                            ? "Wrong address or password."
                            : "Log in first: a webmail session, or HTTP Basic with your mail address and password.");
        };
    }

    private static AccessDeniedHandler forbidden() {
        return (request, response, exception) -> JsonErrors.write(response, HttpServletResponse.SC_FORBIDDEN,
                "Your account may not do this.");
    }
}
