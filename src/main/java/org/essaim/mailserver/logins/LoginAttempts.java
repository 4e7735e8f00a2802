package org.essaim.mailserver.logins;

import java.net.InetAddress;
import java.time.Duration;

/**
 * The one throttle on password guessing, shared by every door that checks a password: IMAP, POP3 and SMTP AUTH
 * (the hooks of this package) and the web login and HTTP Basic (security/). A door asks {@link #admit} before it
 * checks a password and reports {@link #succeeded} or {@link #failed} once it knows. The policy (security/LoginThrottle)
 * keeps its counters in memory only, and never the client address itself.
 * <p>
 * Every admitted attempt counts as a failure until the door says it succeeded: so clients that open many
 * connections at once cannot slip more attempts through than one client would; an attempt that would only be
 * refused because others are still undecided waits for their outcome instead (so parallel right passwords all get
 * in): every admitted attempt must therefore be reported, one way or the other.
 */
public interface LoginAttempts {

    /**
     * Before a password for this account is checked. {@link Duration#ZERO}: check it now (the attempt is counted
     * as a failure until {@link #succeeded}). A positive wait: refuse the attempt without looking at the password
     * ({@link TooManyFailedLogins} words the refusal).
     *
     * @param account what the client gave as its login (any case; it need not exist)
     */
    Duration admit(String account, InetAddress client);

    /** The password checked after {@link #admit} was right: the attempt is taken back and this client trusted. */
    void succeeded(String account, InetAddress client);

    /** The password checked after {@link #admit} was wrong, or was not checked after all: the attempt stays counted. */
    void failed(String account, InetAddress client);

    /** No throttling (James started without the application). */
    LoginAttempts UNLIMITED = new LoginAttempts() {
        @Override
        public Duration admit(String account, InetAddress client) {
            return Duration.ZERO;
        }

        @Override
        public void succeeded(String account, InetAddress client) {
        }

        @Override
        public void failed(String account, InetAddress client) {
        }
    };
}
