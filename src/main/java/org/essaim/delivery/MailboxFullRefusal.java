package org.essaim.delivery;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.core.Username;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.Quota;
import org.apache.james.mailbox.quota.QuotaManager;
import org.apache.james.mailbox.quota.UserQuotaRootResolver;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.RcptHook;
import org.apache.james.smtpserver.JamesMessageHook;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.api.UsersRepositoryException;
import org.apache.mailet.Mail;

/**
 * Quotas are enforced in the SMTP session, so the sender learns it (and nothing is half stored):
 * RCPT for a mailbox already full gets 452 (temporary: its owner may make room); a message that would not
 * fit in a recipient's remaining space gets 552 at the end of DATA. James itself only checks on IMAP APPEND
 * and at local delivery, after the message was accepted.
 */
public class MailboxFullRefusal implements RcptHook, JamesMessageHook {

    static final HookResult MAILBOX_FULL = HookResult.builder()
            .hookReturnCode(HookReturnCode.denySoft())
            .smtpReturnCode("452")
            .smtpDescription("4.2.2 Mailbox full: its owner has to make room first")
            .build();
    static final HookResult MESSAGE_TOO_BIG_FOR_MAILBOX = HookResult.builder()
            .hookReturnCode(HookReturnCode.deny())
            .smtpReturnCode("552")
            .smtpDescription("5.2.2 Mailbox full: the message exceeds the recipient's remaining quota")
            .build();

    private final UsersRepository users;
    private final UserQuotaRootResolver quotaRoots;
    private final QuotaManager quotas;

    @Inject
    public MailboxFullRefusal(UsersRepository users, UserQuotaRootResolver quotaRoots, QuotaManager quotas) {
        this.users = users;
        this.quotas = quotas;
        this.quotaRoots = quotaRoots;
    }

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress recipient) {
        return storageQuota(recipient)
                .filter(quota -> quota.isOverQuotaWithAdditionalValue(1))
                .map(full -> MAILBOX_FULL)
                .orElse(HookResult.DECLINED);
    }

    @Override
    public HookResult onMessage(SMTPSession session, Mail mail) {
        long size = sizeOf(mail);
        boolean fitsEveryMailbox = mail.getRecipients().stream()
                .map(this::storageQuota)
                .flatMap(java.util.Optional::stream)
                .noneMatch(quota -> quota.isOverQuotaWithAdditionalValue(size));
        return fitsEveryMailbox ? HookResult.DECLINED : MESSAGE_TOO_BIG_FOR_MAILBOX;
    }

    /** The storage quota of a local account; empty for remote or unknown recipients. */
    private java.util.Optional<Quota<org.apache.james.core.quota.QuotaSizeLimit, org.apache.james.core.quota.QuotaSizeUsage>>
            storageQuota(MailAddress recipient) {
        try {
            Username username = users.getUsername(recipient);
            if (!users.contains(username)) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(quotas.getStorageQuota(quotaRoots.forUser(username)));
        } catch (UsersRepositoryException | MailboxException e) {
            return java.util.Optional.empty();
        }
    }

    private static long sizeOf(Mail mail) {
        try {
            return mail.getMessageSize();
        } catch (MessagingException e) {
            return 0;
        }
    }
}
