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
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Service;

/**
 * The first admin. With {@code essaim.bootstrap.admin-email} and {@code essaim.bootstrap.admin-password}
 * set and no account yet, the domain and the admin are created at start, before anything answers: the mail account
 * by the mail server itself before its ports open (mailserver/FirstAccount), its folders and admin role here right
 * after, in a start-up phase between the mail server's and the web server's, so that neither a mail client nor the
 * web (login page, keys API) ever meets a server without its first admin. Otherwise a one-time setup URL
 * (random token, kept in memory only) is printed to the console once the web answers; its page creates the first
 * admin, after which the token is gone. No default password ever exists.
 */
@Service
public class FirstRunSetup implements SmartLifecycle, ApplicationRunner {
    private static final Logger LOGGER = LoggerFactory.getLogger(FirstRunSetup.class);
    /** After the mail server (phase 0: mailserver/EmbeddedJames), long before the web server (near Integer.MAX_VALUE). */
    private static final int PHASE = 1;

    private final MailServerBridge mailServer;
    private final AccountRoles roles;
    private final EssaimProperties settings;
    private final Environment environment;
    private volatile String setupToken;
    private volatile boolean running;

    private final PasswordPolicy passwordPolicy;

    public FirstRunSetup(MailServerBridge mailServer, AccountRoles roles, EssaimProperties settings, Environment environment,
                         PasswordPolicy passwordPolicy) {
        this.passwordPolicy = passwordPolicy;
        this.mailServer = mailServer;
        this.roles = roles;
        this.settings = settings;
        this.environment = environment;
    }

    /** Finishes the bootstrap admin the mail server created before its ports opened: folders, admin role. */
    @Override
    public void start() {
        mailServer.addDomain(settings.domain());
        mailServer.finishAccountCreatedAtStart().ifPresent(address -> {
            roles.grant(address, AccountRoles.ADMIN);
            LOGGER.info("Created the first admin account {}", address);
        });
        bootstrapAdminLeftUnfinished().ifPresent(address -> {
            mailServer.finishAccount(address);
            roles.grant(address, AccountRoles.ADMIN);
            LOGGER.info("Finished the first admin account {}, created by an earlier start that failed", address);
        });
        running = true;
    }

    /**
     * The bootstrap admin when an earlier start created its account and then failed before this phase (a mail port
     * already taken, say): the account exists, so the mail server does not create it again, yet nobody is admin and,
     * the server having an account, no setup link is offered either. Without this the collective would be locked out
     * of its own administration.
     */
    private Optional<String> bootstrapAdminLeftUnfinished() {
        if (!settings.bootstrap().isSet() || !roles.admins().isEmpty()) {
            return Optional.empty();
        }
        String address = settings.bootstrap().adminEmail();
        return mailServer.accountExists(address) ? Optional.of(address) : Optional.empty();
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** Once the web answers: the one-time setup URL when there is still no account (no bootstrap settings). */
    @Override
    public void run(ApplicationArguments args) {
        if (mailServer.hasAnyAccount()) {
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
