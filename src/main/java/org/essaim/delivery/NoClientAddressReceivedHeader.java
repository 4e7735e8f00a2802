package org.essaim.delivery;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import org.apache.james.core.MailAddress;
import org.apache.james.protocols.api.ProtocolSession.State;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.core.ReceivedDataLineFilter;

/**
 * The Received header without the "from" clause: James writes the client's host name and IP address there,
 * which would tell every recipient (and the stored copy) where a user was when they sent mail. The HELO name is
 * left out too, as clients often send their own address as HELO. What stays is enough to trace the hop:
 * this server, the protocol, the session id, the single recipient, the time.
 * <p>
 * The protocol says whether the hop was encrypted (RFC 3848: ESMTPS, ESMTPSA), which James 3.8.1 never writes
 * (its ReceivedDataLineFilter only knows SMTP, ESMTP and ESMTPA).
 */
public class NoClientAddressReceivedHeader extends ReceivedDataLineFilter {
    private static final DateTimeFormatter DATE_FORMAT =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z (zzz)", Locale.US);

    @Override
    protected Collection<Header> headers(SMTPSession session) {
        String heloMode = session.getAttachment(SMTPSession.CURRENT_HELO_MODE, State.Connection).orElse("NOT-DEFINED");
        Header header = new Header("Received", "by " + session.getConfiguration().getHelloName()
                + " (" + session.getConfiguration().getSoftwareName() + ") with " + getServiceType(session, heloMode)
                + " ID " + session.getSessionID());
        List<MailAddress> recipients = session.getAttachment(SMTPSession.RCPT_LIST, State.Transaction).orElse(List.of());
        if (recipients.size() == 1) {
            // Only for a single recipient, as James does: no address harvesting from bulk mail.
            header.add("for <" + recipients.get(0) + ">;");
        } else {
            header.values.set(0, header.values.get(0) + ";");
        }
        header.add(DATE_FORMAT.format(ZonedDateTime.now()));
        return List.of(header);
    }

    @Override
    protected String getServiceType(SMTPSession session, String heloMode) {
        String type = super.getServiceType(session, heloMode);
        if (!session.isTLSStarted() || !type.startsWith("ESMTP")) {
            return type;
        }
        return "ESMTPS" + type.substring("ESMTP".length()); // ESMTP -> ESMTPS, ESMTPA -> ESMTPSA
    }
}
