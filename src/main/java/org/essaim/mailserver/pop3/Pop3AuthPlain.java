package org.essaim.mailserver.pop3;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.List;

import javax.inject.Inject;
import javax.inject.Named;

import org.apache.james.core.Username;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.pop3server.mailbox.MailboxAdapterFactory;
import org.apache.james.protocols.api.BaseRequest;
import org.apache.james.protocols.api.Request;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.LineHandler;
import org.apache.james.protocols.pop3.POP3Response;
import org.apache.james.protocols.pop3.POP3Session;
import org.essaim.mailserver.logins.LoginAttempts;
import org.essaim.mailserver.logins.ThrottledPop3Pass;

/**
 * POP3 AUTH PLAIN (RFC 5034, SASL PLAIN of RFC 4616), which James 3.8.1's POP3 server lacks: the credentials go
 * through exactly the USER/PASS path of {@link ThrottledPop3Pass} (login throttle, no client address logged,
 * disabled accounts refused). The initial response may come with the command or after the server's {@code +}.
 */
public class Pop3AuthPlain extends ThrottledPop3Pass {
    private static final Response MECHANISMS = mechanisms();
    private static final Response UNSUPPORTED = new POP3Response(POP3Response.ERR_RESPONSE,
            "Unsupported authentication mechanism (PLAIN only)").immutable();
    private static final Response MALFORMED = new POP3Response(POP3Response.ERR_RESPONSE,
            "Malformed PLAIN credentials").immutable();
    private static final Response CANCELLED = new POP3Response(POP3Response.ERR_RESPONSE, "Authentication cancelled").immutable();
    private static final Response NOT_NOW = new POP3Response(POP3Response.ERR_RESPONSE, "Already authenticated").immutable();

    @Inject
    public Pop3AuthPlain(@Named("mailboxmanager") MailboxManager manager, MailboxAdapterFactory adapters,
                         MetricFactory metricFactory, LoginAttempts attempts) {
        super(manager, adapters, metricFactory, attempts);
    }

    /** Login is allowed on an encrypted connection only (Pop3AuthRequiresTls refuses it otherwise). */
    static boolean loginAllowed(POP3Session session) {
        return !session.isStartTLSSupported() || session.isTLSStarted();
    }

    @Override
    public Collection<String> getImplCommands() {
        return List.of("AUTH");
    }

    @Override
    public Response onCommand(POP3Session session, Request request) {
        String argument = request.getArgument() == null ? "" : request.getArgument().trim();
        if (argument.isEmpty()) {
            return MECHANISMS;
        }
        if (session.getHandlerState() != POP3Session.AUTHENTICATION_READY
                && session.getHandlerState() != POP3Session.AUTHENTICATION_USERSET) {
            return NOT_NOW;
        }
        String[] words = argument.split("\\s+", 2);
        if (!words[0].equalsIgnoreCase("PLAIN")) {
            return UNSUPPORTED;
        }
        if (words.length == 2) {
            return credentials(session, words[1]);
        }
        session.pushLineHandler((LineHandler<POP3Session>) (lineSession, line) -> {
            lineSession.popLineHandler();
            return credentials(lineSession, new String(line, StandardCharsets.US_ASCII).trim());
        });
        return new POP3Response("+", "");
    }

    private Response credentials(POP3Session session, String initialResponse) {
        if (initialResponse.equals("*")) {
            return CANCELLED;
        }
        String[] parts;
        try {
            parts = new String(Base64.getDecoder().decode(initialResponse), StandardCharsets.UTF_8).split("\0", -1);
        } catch (IllegalArgumentException e) {
            return MALFORMED;
        }
        if (parts.length != 3 || parts[1].isEmpty() || !(parts[0].isEmpty() || parts[0].equals(parts[1]))) {
            return MALFORMED; // authorization as another user is not offered
        }
        session.setUsername(Username.of(parts[1])); // as USER would
        session.setHandlerState(POP3Session.AUTHENTICATION_USERSET);
        return super.onCommand(session, new BaseRequest("PASS", parts[2]));
    }

    private static Response mechanisms() {
        POP3Response response = new POP3Response(POP3Response.OK_RESPONSE, "Mechanisms follow");
        response.appendLine("PLAIN");
        response.appendLine(".");
        return response.immutable();
    }
}
