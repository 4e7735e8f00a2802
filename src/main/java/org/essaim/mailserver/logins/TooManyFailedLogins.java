package org.essaim.mailserver.logins;

import java.time.Duration;

/** The words of a throttled login, the same on every protocol and on the web. */
public final class TooManyFailedLogins {

    private TooManyFailedLogins() {
    }

    /** One sentence: what happened and when to try again. */
    public static String message(Duration wait) {
        return "Too many failed logins for this account or from this network: try again in " + inWords(wait) + ".";
    }

    /** "12 seconds", "1 minute", "35 minutes": rounded up, so the client never comes back too early. */
    static String inWords(Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        if (seconds < 60) {
            return seconds == 1 ? "1 second" : seconds + " seconds";
        }
        long minutes = (seconds + 59) / 60;
        return minutes == 1 ? "1 minute" : minutes + " minutes";
    }
}
