package org.essaim.mailserver;

import java.util.Collection;
import java.util.List;

import org.apache.james.protocols.api.Request;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.CommandHandler;
import org.apache.james.protocols.pop3.POP3Response;
import org.apache.james.protocols.pop3.POP3Session;

/**
 * James' POP3 server accepts USER/PASS before STLS; this handler, placed before the core handlers,
 * refuses every authentication command until the connection is encrypted (implicit TLS or after STLS).
 */
public class Pop3AuthRequiresTls implements CommandHandler<POP3Session> {

    /**
     * The authentication commands Essaim's POP3 server has (AUTH: mailserver/pop3/Pop3AuthPlain). Only these: a
     * command listed here without a handler of its own after this one (APOP, which James 3.8.1 does not implement)
     * got no answer at all once TLS was on (James' dispatcher then throws on the missing response); unlisted, it gets
     * "-ERR Unknown command".
     */
    private static final List<String> AUTHENTICATION_COMMANDS = List.of("USER", "PASS", "AUTH");

    @Override
    public Response onCommand(POP3Session session, Request request) {
        if (session.isStartTLSSupported() && !session.isTLSStarted()) {
            return new POP3Response(POP3Response.ERR_RESPONSE, "Authentication requires TLS: use STLS first");
        }
        return null; // encrypted: let the core handlers authenticate
    }

    @Override
    public Collection<String> getImplCommands() {
        return AUTHENTICATION_COMMANDS;
    }
}
