package org.essaim.setup;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import org.essaim.accounts.AccountRoles;
import org.essaim.accounts.PasswordPolicy;
import org.essaim.config.EssaimProperties;
import org.essaim.mailserver.MailServerBridge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Service;

/**
 * The first admin. With {@code essaim.bootstrap.admin-email} and {@code essaim.bootstrap.admin-password}
 * set and no account yet, the domain and the admin are created at start. Otherwise a one-time setup URL
 * (random token, kept in memory only) is printed to the console; its page creates the first admin, after
 * which the token is gone. No default password ever exists.
 */
@Service
public class FirstRunSetup implements ApplicationRunner {
    private static final Logger LOGGER = LoggerFactory.getLogger(FirstRunSetup.class);

    private final MailServerBridge mailServer;
    private final AccountRoles roles;
    private final EssaimProperties settings;
    private final Environment environment;
    private volatile String setupToken;

    private final PasswordPolicy passwordPolicy;

    public FirstRunSetup(MailServerBridge mailServer, AccountRoles roles, EssaimProperties settings, Environment environment,
                         PasswordPolicy passwordPolicy) {
        this.passwordPolicy = passwordPolicy;
        this.mailServer = mailServer;
        this.roles = roles;
        this.settings = settings;
        this.environment = environment;
    }

    @Override
    public void run(ApplicationArguments args) {
        mailServer.addDomain(settings.domain());
        if (mailServer.hasAnyAccount()) {
            return;
        }
        if (settings.bootstrap().isSet()) {
            createAdmin(settings.bootstrap().adminEmail(), settings.bootstrap().adminPassword());
            LOGGER.info("Created the first admin account {}", settings.bootstrap().adminEmail());
            return;
        }
        setupToken = newToken();
        String url = "http://localhost:" + environment.getProperty("local.server.port", "8080") + "/setup/" + setupToken;
        // Printed, not only logged: the operator needs it on the console whatever the log configuration.
        System.out.println();
        System.out.println("Essaim has no account yet. Create the first admin at this one-time URL:");
        System.out.println("    " + url);
        System.out.println();
        LOGGER.info("No account yet: the one-time setup URL was printed to the console");
    }

    /** Whether this token opens the setup page now (constant-time comparison). */
    public boolean acceptsToken(String token) {
        String expected = setupToken;
        return expected != null && token != null
                && MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), token.getBytes(StandardCharsets.US_ASCII));
    }

    public boolean isPending() {
        return setupToken != null;
    }

    /** Creates the first admin with the token, once; the token dies even if creation fails afterwards. */
    public synchronized void createFirstAdmin(String token, String address, String password) {
        if (!acceptsToken(token) || mailServer.hasAnyAccount()) {
            throw new IllegalStateException("This setup link is no longer valid");
        }
        passwordPolicy.problemWith(password, address).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
        setupToken = null;
        createAdmin(address, password);
    }

    Optional<String> currentToken() {
        return Optional.ofNullable(setupToken);
    }

    private void createAdmin(String address, String password) {
        mailServer.createAccount(address, password);
        roles.grant(address, AccountRoles.ADMIN);
    }

    private static String newToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
