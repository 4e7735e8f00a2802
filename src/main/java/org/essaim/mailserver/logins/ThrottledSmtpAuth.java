package org.essaim.mailserver.logins;

import java.time.Duration;

import javax.inject.Inject;

import org.apache.james.core.Username;
import org.apache.james.protocols.api.OidcSASLConfiguration;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.AuthHook;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.api.UsersRepositoryException;

/**
 * SMTP AUTH (PLAIN and LOGIN, both SMTP servers) checked through the login throttle. Listed in smtpserver.xml before
 * the core handlers, so it runs before James' UsersRepositoryAuthHook and answers every password attempt itself:
 * 454 4.7.0 while the throttle says wait (the password is not looked at), 235 or 535 5.7.8 otherwise.
 */
public class ThrottledSmtpAuth implements AuthHook {

    private final UsersRepository users;
    private final LoginAttempts attempts;

    @Inject
    public ThrottledSmtpAuth(UsersRepository users, LoginAttempts attempts) {
        this.users = users;
        this.attempts = attempts;
    }

    @Override
    public HookResult doAuth(SMTPSession session, Username username, String password) {
        var client = session.getRemoteAddress().getAddress();
        Duration wait = attempts.admit(username.asString(), client);
        if (!wait.isZero()) {
            return HookResult.builder().hookReturnCode(HookReturnCode.denySoft())
                    .smtpReturnCode("454")
                    .smtpDescription("4.7.0 " + TooManyFailedLogins.message(wait))
                    .build();
        }
        try {
            if (users.test(username, password)) {
                attempts.succeeded(username.asString(), client);
                session.setUsername(username);
                session.setRelayingAllowed(true);
                return HookResult.builder().hookReturnCode(HookReturnCode.ok())
                        .smtpDescription("2.7.0 Authentication successful")
                        .build();
            }
        } catch (UsersRepositoryException e) {
            attempts.failed(username.asString(), client);
            return HookResult.builder().hookReturnCode(HookReturnCode.denySoft())
                    .smtpReturnCode("454")
                    .smtpDescription("4.7.0 Temporary authentication failure: try again later")
                    .build();
        } catch (RuntimeException e) {
            attempts.failed(username.asString(), client);
            throw e;
        }
        attempts.failed(username.asString(), client);
        return HookResult.builder().hookReturnCode(HookReturnCode.deny())
                .smtpReturnCode("535")
                .smtpDescription("5.7.8 Authentication credentials invalid")
                .build();
    }

    /** OAuth-style SASL is not offered; James' own hook answers it (declined). */
    @Override
    public HookResult doSasl(SMTPSession session, OidcSASLConfiguration configuration, String initialResponse) {
        return HookResult.DECLINED;
    }
}
