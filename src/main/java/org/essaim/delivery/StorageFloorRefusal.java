package org.essaim.delivery;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.MailHook;
import org.apache.james.smtpserver.JamesMessageHook;
import org.apache.mailet.Mail;

/**
 * Refuses new mail with 452 while the data directory's disk is at its free-space floor ({@link StorageFloor}):
 * at MAIL FROM already, and again at the end of DATA when the message itself would take the disk below the floor.
 * 4xx, so sending servers keep the message and retry; nothing is accepted that might not be stored.
 */
public class StorageFloorRefusal implements MailHook, JamesMessageHook {
    private final StorageFloor floor;
    private final HookResult insufficientStorage;

    @Inject
    public StorageFloorRefusal(StorageFloor floor, NoticeTexts texts) {
        this.floor = floor;
        this.insufficientStorage = TranslatedRefusal.of(HookReturnCode.denySoft(), "452", "4.3.1", texts,
                "smtp.reply.insufficientStorage");
    }

    @Override
    public HookResult doMail(SMTPSession session, MaybeSender sender) {
        return floor.allows(0) ? HookResult.DECLINED : insufficientStorage;
    }

    @Override
    public HookResult onMessage(SMTPSession session, Mail mail) {
        long size;
        try {
            size = mail.getMessageSize();
        } catch (MessagingException e) {
            size = 0;
        }
        // one copy per recipient may be stored
        return floor.allows(size * Math.max(1, mail.getRecipients().size())) ? HookResult.DECLINED : insufficientStorage;
    }
}
