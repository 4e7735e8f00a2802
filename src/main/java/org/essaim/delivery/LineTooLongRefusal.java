package org.essaim.delivery;

import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.smtp.MailEnvelope;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.MessageHook;

/**
 * One DATA, one reply: when a line of the message was longer than the server accepts (it was dropped while
 * receiving, see mailserver/connections/EssaimSmtpServerFactory), the whole message is refused at its end with a 5xx
 * that says why, instead of James' immediate "500 Line length exceeded" followed by "250" for the same DATA.
 * The first message hook, so nothing else looks at the incomplete message.
 */
public class LineTooLongRefusal implements MessageHook {

    /** Set on the SMTP transaction when a too long line arrived inside its DATA. */
    public static final ProtocolSession.AttachmentKey<Boolean> LINE_TOO_LONG =
            ProtocolSession.AttachmentKey.of("org.essaim.delivery.LINE_TOO_LONG", Boolean.class);

    @Override
    public HookResult onMessage(SMTPSession session, MailEnvelope mail) {
        if (session.getAttachment(LINE_TOO_LONG, ProtocolSession.State.Transaction).orElse(false)) {
            return HookResult.builder().hookReturnCode(HookReturnCode.deny())
                    .smtpReturnCode("554")
                    .smtpDescription("5.6.0 Message refused: a line is longer than this server accepts (8 KB; SMTP "
                            + "allows 998 characters, RFC 5321 4.5.3.1.6): fold long header lines, encode long body lines")
                    .build();
        }
        return HookResult.DECLINED;
    }
}
