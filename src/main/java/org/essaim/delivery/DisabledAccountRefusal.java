package org.essaim.delivery;

import java.util.Locale;

import javax.inject.Inject;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.RcptHook;

/** Mail for a disabled account is refused at RCPT with 550, so the sender is told at once. */
public class DisabledAccountRefusal implements RcptHook {

    private final DisabledAccounts disabledAccounts;
    private final HookResult mailboxDisabled;

    @Inject
    public DisabledAccountRefusal(DisabledAccounts disabledAccounts, NoticeTexts texts) {
        this.disabledAccounts = disabledAccounts;
        this.mailboxDisabled = TranslatedRefusal.of(HookReturnCode.deny(), "550", "5.2.1", texts, "smtp.reply.mailboxDisabled");
    }

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress recipient) {
        return disabledAccounts.isDisabled(recipient.asString().toLowerCase(Locale.ROOT)) ? mailboxDisabled : HookResult.DECLINED;
    }
}
