package org.essaim.security;

import static com.vaadin.flow.spring.security.VaadinSecurityConfigurer.vaadin;

import com.vaadin.flow.spring.security.VaadinAwareSecurityContextHolderStrategyConfiguration;

import java.io.IOException;
import java.util.Map;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.AuthenticationEventPublisher;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.ExceptionMappingAuthenticationFailureHandler;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;

/**
 * The browser-facing side: the Vaadin webmail behind a form login at {@link LoginView}, checked against
 * the mail accounts. Everything that the {@code @Order(1)} {@link ApiSecurity} chain does not take lands here.
 * <p>
 * The session cookie is HttpOnly and SameSite (application.properties) and Secure whenever the request came
 * over TLS (Tomcat marks it so for secure requests; behind a proxy, X-Forwarded-Proto from a local proxy counts).
 * The session id changes at login so a planted session id is worthless. The login form is accepted only from this
 * site ({@link LoginCsrfCheck}); the pages carry the headers of {@link ResponseHeaders}. The authentication keeps
 * no request details (Spring's would hold the client's address for the whole session).
 */
@Configuration(proxyBeanMethods = false)
@Import(VaadinAwareSecurityContextHolderStrategyConfiguration.class) // the login is also known in UI.access() threads
public class WebSecurity {

    @Bean
    @Order(2)
    SecurityFilterChain webFilterChain(HttpSecurity http, MailAccountAuthenticationProvider accounts,
                                       AuthenticationEventPublisher events) throws Exception {
        // This chain's own manager keeps the password in the authenticated token (ProviderManager erases it
        // by default): the webmail opens the user's IMAP session with it. It stays in server memory only.
        ProviderManager manager = new ProviderManager(accounts);
        manager.setEraseCredentialsAfterAuthentication(false);
        manager.setAuthenticationEventPublisher(events); // so web logins are seen (last login day)
        http.authenticationManager(manager)
                .authorizeHttpRequests(auth -> auth
                        // Error dispatches (e.g. the API chain's 401) render their status, not a login redirect.
                        .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
                        .requestMatchers("/setup/**", "/invite/**").permitAll()
                        // Admin pages: refused (403) to members on a full page load; Vaadin's navigation access
                        // control (@RolesAllowed on the views) refuses them within the running application too.
                        // Spectators (proposed admins) read them; the pages show them no actions, and every action
                        // needs a statement signed by an admin's key anyway (governance).
                        .requestMatchers("/admin/**").hasAnyRole("ADMIN", "SPECTATOR"))
                .sessionManagement(session -> session.sessionFixation(fixation -> fixation.changeSessionId()))
                .addFilterBefore(new LoginCsrfCheck(), UsernamePasswordAuthenticationFilter.class)
                .with(vaadin(), vaadin -> vaadin.loginView(LoginView.class))
                // After Vaadin's configurer (else Spring's generated login page would take /login), which keeps a
                // failure handler it finds: a throttled login comes back as /login?error&throttled (LoginView words
                // it), any other failure as /login?error.
                .formLogin(form -> form.failureHandler(loginFailures()).authenticationDetailsSource(request -> null))
                .headers(ResponseHeaders.forPages());
        return http.build();
    }

    /** Right after Spring Security: the rest of the web tier never sees a client's address. */
    @Bean
    FilterRegistrationBean<NoClientAddressBeyondSecurity> noClientAddressBeyondSecurity() {
        FilterRegistrationBean<NoClientAddressBeyondSecurity> registration =
                new FilterRegistrationBean<>(new NoClientAddressBeyondSecurity());
        registration.setOrder(SecurityProperties.DEFAULT_FILTER_ORDER + 1);
        return registration;
    }

    private static ExceptionMappingAuthenticationFailureHandler loginFailures() {
        ExceptionMappingAuthenticationFailureHandler failures = new ExceptionMappingAuthenticationFailureHandler() {
            @Override
            public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
                                                AuthenticationException exception) throws IOException, ServletException {
                saveException(request, exception); // the mapped case skips it: LoginView reads the wait from it
                super.onAuthenticationFailure(request, response, exception);
            }
        };
        failures.setDefaultFailureUrl("/login?error");
        failures.setExceptionMappings(Map.of(TooManyFailedLoginsException.class.getName(), "/login?error&throttled"));
        return failures;
    }
}
