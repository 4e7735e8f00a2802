package org.essaim.delivery;

import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.server.core.MailImpl;
import org.apache.james.smtpserver.AddDefaultAttributesMessageHook;
import org.apache.james.smtpserver.JamesMessageHook;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;

/**
 * Takes the place of James' {@code AddDefaultAttributesMessageHook}, which stores the client's IP address and
 * host name on the Mail, from where they reach the queue's on-disk journal. Essaim records what the mail
 * pipeline needs (session id, authenticated user, relay permission) and an unspecified address instead of the
 * client's. The HELO name is not kept either: clients often send their own IP address as HELO.
 */
public class NoClientAddressMailAttributes implements JamesMessageHook {
    static final String UNSPECIFIED_ADDRESS = "0.0.0.0";
    static final String UNKNOWN_HOST = "unknown";

    @Override
    public HookResult onMessage(SMTPSession session, Mail mail) {
        if (mail instanceof MailImpl mailImpl) {
            mailImpl.setRemoteAddr(UNSPECIFIED_ADDRESS);
            mailImpl.setRemoteHost(UNKNOWN_HOST);
        }
        mail.setAttribute(new Attribute(Mail.SMTP_SESSION_ID, AttributeValue.of(session.getSessionID())));
        if (session.getUsername() != null) {
            mail.setAttribute(new Attribute(Mail.SMTP_AUTH_USER, AttributeValue.of(session.getUsername().asString())));
        }
        if (session.isRelayingAllowed()) {
            mail.setAttribute(Attribute.convertToAttribute(AddDefaultAttributesMessageHook.SMTP_AUTH_NETWORK_NAME, true));
        }
        return HookResult.DECLINED;
    }
}
