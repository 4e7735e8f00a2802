package org.essaim.delivery;

import java.util.Optional;
import java.util.stream.Stream;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.core.Username;
import org.apache.james.core.quota.QuotaSizeLimit;
import org.apache.james.core.quota.QuotaSizeUsage;
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

    private final LocalAccounts localAccounts;
    private final UsersRepository users;
    private final UserQuotaRootResolver quotaRoots;
    private final QuotaManager quotas;
    private final HookResult mailboxFull;
    private final HookResult messageTooBigForMailbox;

    @Inject
    public MailboxFullRefusal(LocalAccounts localAccounts, UsersRepository users, UserQuotaRootResolver quotaRoots,
                              QuotaManager quotas, NoticeTexts texts) {
        this.mailboxFull = TranslatedRefusal.of(HookReturnCode.denySoft(), "452", "4.2.2", texts, "smtp.reply.mailboxFull");
        this.messageTooBigForMailbox = TranslatedRefusal.of(HookReturnCode.deny(), "552", "5.2.2", texts,
                "smtp.reply.messageTooBigForMailbox");
        this.localAccounts = localAccounts;
        this.users = users;
        this.quotas = quotas;
        this.quotaRoots = quotaRoots;
    }

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress recipient) {
        boolean full = storageQuotas(recipient).anyMatch(quota -> quota.isOverQuotaWithAdditionalValue(1));
        return full ? mailboxFull : HookResult.DECLINED;
    }

    @Override
    public HookResult onMessage(SMTPSession session, Mail mail) {
        long size = sizeOf(mail);
        boolean fitsEveryMailbox = mail.getRecipients().stream()
                .flatMap(this::storageQuotas)
                .noneMatch(quota -> quota.isOverQuotaWithAdditionalValue(size));
        return fitsEveryMailbox ? HookResult.DECLINED : messageTooBigForMailbox;
    }

    /** The storage quotas of the accounts a recipient's mail is stored in (aliases included); none for remote ones. */
    private Stream<Quota<QuotaSizeLimit, QuotaSizeUsage>> storageQuotas(MailAddress recipient) {
        return localAccounts.accountsReachedBy(recipient).stream()
                .map(this::storageQuotaOf)
                .flatMap(Optional::stream);
    }

    private Optional<Quota<QuotaSizeLimit, QuotaSizeUsage>> storageQuotaOf(MailAddress account) {
        try {
            Username username = users.getUsername(account);
            return Optional.of(quotas.getStorageQuota(quotaRoots.forUser(username)));
        } catch (UsersRepositoryException | MailboxException e) {
            return Optional.empty();
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
