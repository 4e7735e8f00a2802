package org.essaim.delivery.spam;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Judges an incoming message while the SMTP session still holds it in clear (the spam feature implements it; this
 * port keeps delivery free of Spring). Everything an {@link Arrival} carries stays in memory: the client address is
 * used for blocklist look-ups and never written anywhere.
 */
public interface SpamJudge {
    /**
     * How much of a message a check reads: its beginning, where the header and the text parts are. Spam filters
     * commonly stop there too (SpamAssassin's spamc skips mail over 500 KB); reading a 45 MB attachment as text
     * would need several times its size of heap (issue 11 item 6).
     */
    int SCANNED_BYTES = 1 << 20;

    SpamVerdict judge(Arrival arrival);

    /**
     * @param message        the message as received (headers and body), its first {@link #SCANNED_BYTES} at most
     * @param envelopeSender MAIL FROM, empty for a null sender
     * @param accounts       the local accounts the message will be stored for (aliases resolved)
     * @param client         the connecting client's address
     * @param helo           what the client said in HELO/EHLO
     * @param authentication the arrival checks' verdict (the {@code org.essaim.authentication} attribute), or ""
     */
    record Arrival(byte[] message, Optional<String> envelopeSender, List<String> accounts, Optional<InetAddress> client,
                   String helo, String authentication) {
    }

    /** Judges nothing: every message is delivered as it is (used when the spam feature is not running). */
    SpamJudge NONE = arrival -> SpamVerdict.clean("none");
}
