package org.essaim.delivery;

import javax.inject.Inject;

import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.dsn.DSNStatus;
import org.apache.james.smtpserver.DataLineJamesMessageHookHandler;
import org.apache.mailet.Mail;

/**
 * James' end-of-DATA handler, with the message hooks (the encrypting and storing steps among them) run inside the
 * {@link DeliveryPause}: while a backup pauses delivery the message is refused with 451 4.3.2 (the sender retries
 * a little later), and a backup waits for the messages already being handled before it takes its snapshot.
 * Takes the place of {@link DataLineJamesMessageHookHandler} in {@link EssaimSmtpCoreHandlers}.
 */
public class PausableMessageHooks extends DataLineJamesMessageHookHandler {
    static final SMTPResponse PAUSED = new SMTPResponse("451",
            DSNStatus.getStatus(DSNStatus.TRANSIENT, DSNStatus.SYSTEM_NOT_ACCEPTING)
                    + " A backup is being taken; please try again in a minute");

    private final DeliveryPause pause;

    @Inject
    public PausableMessageHooks(DeliveryPause pause) {
        this.pause = pause;
    }

    @Override
    protected SMTPResponse executeJamesMessageHooks(SMTPSession session, Mail mail) {
        if (!pause.tryBegin()) {
            return PAUSED;
        }
        try {
            return super.executeJamesMessageHooks(session, mail);
        } finally {
            pause.end();
        }
    }
}
