package org.essaim.mailserver;

import java.util.Collection;
import java.util.List;

import org.apache.james.protocols.api.Request;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.CommandHandler;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.protocols.smtp.SMTPSession;

/**
 * James 3.8.1 only stops <em>announcing</em> AUTH before STARTTLS ({@code requireSSL}); it still accepts the
 * command. Placed before the core handlers, this refuses AUTH in clear with RFC 4954's 538 reply.
 */
public class SmtpAuthRequiresTls implements CommandHandler<SMTPSession> {

    private static final Response ENCRYPTION_REQUIRED =
            new SMTPResponse("538", "5.7.11 Encryption required for authentication: use STARTTLS first").immutable();

    @Override
    public Response onCommand(SMTPSession session, Request request) {
        return session.isTLSStarted() ? null : ENCRYPTION_REQUIRED;
    }

    @Override
    public Collection<String> getImplCommands() {
        return List.of("AUTH");
    }
}
