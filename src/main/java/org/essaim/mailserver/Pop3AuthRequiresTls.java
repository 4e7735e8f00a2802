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
     * The authentication commands James' POP3 server has. Only these: a command listed here without a handler of its
     * own after this one (APOP, AUTH in James 3.8.1) got no answer at all once TLS was on (James' dispatcher then
     * throws on the missing response); unlisted, they get James' "-ERR Unknown command". Add AUTH here when a SASL
     * handler for it is added.
     */
    private static final List<String> AUTHENTICATION_COMMANDS = List.of("USER", "PASS");

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
