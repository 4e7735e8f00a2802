package org.essaim.mailserver.pop3;

import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.ConnectHandler;
import org.apache.james.protocols.pop3.POP3Response;
import org.apache.james.protocols.pop3.POP3Session;

/**
 * {@code +OK mail.example.org Essaim POP3 server ready}. James 3.8.1's banner carried an APOP timestamp although
 * Essaim serves no APOP (passwords are hashed, APOP needs them in clear), so clients that tried APOP failed; and
 * it named the machine, not {@code essaim.hostname}.
 */
public class Pop3Greeting implements ConnectHandler<POP3Session> {
    @Override
    public Response onConnect(POP3Session session) {
        return new POP3Response(POP3Response.OK_RESPONSE,
                session.getConfiguration().getHelloName() + " Essaim POP3 server ready");
    }
}
