package org.essaim.delivery;

import javax.inject.Inject;

import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.dsn.DSNStatus;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.MailHook;

/**
 * During a backup's pause (see {@link DeliveryPause}), new transactions are refused at MAIL FROM already, so
 * senders do not transmit a whole message only to be asked to retry at its end.
 */
public class DeliveryPausedMailHook implements MailHook {
    static final HookResult PAUSED = HookResult.builder()
            .hookReturnCode(HookReturnCode.denySoft())
            .smtpReturnCode("451")
            .smtpDescription(DSNStatus.getStatus(DSNStatus.TRANSIENT, DSNStatus.SYSTEM_NOT_ACCEPTING)
                    + " A backup is being taken; please try again in a minute")
            .build();

    private final DeliveryPause pause;

    @Inject
    public DeliveryPausedMailHook(DeliveryPause pause) {
        this.pause = pause;
    }

    @Override
    public HookResult doMail(SMTPSession session, MaybeSender sender) {
        return pause.isPaused() ? PAUSED : HookResult.DECLINED;
    }
}
