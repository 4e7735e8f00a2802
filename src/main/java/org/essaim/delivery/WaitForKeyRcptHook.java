package org.essaim.delivery;

import javax.inject.Inject;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.RcptHook;

/**
 * Mail for a local account whose owner has not published a key yet cannot be stored encrypted, so it is not
 * accepted: a temporary refusal (450) makes the sending server retry until the key exists. The other recipients
 * of the same transaction are accepted as usual. An alias is refused while any account it leads to has no key.
 */
public class WaitForKeyRcptHook implements RcptHook {
    static final String SMTP_CODE = "450";
    static final String DESCRIPTION = "4.2.1 mailbox not activated yet: waiting for its owner's key";

    static final HookResult WAITING_FOR_KEY = HookResult.builder()
            .hookReturnCode(HookReturnCode.denySoft())
            .smtpReturnCode(SMTP_CODE) // DENYSOFT alone answers 451
            .smtpDescription(DESCRIPTION)
            .build();

    private final LocalAccounts localAccounts;
    private final RecipientKeys keys;

    @Inject
    public WaitForKeyRcptHook(LocalAccounts localAccounts, RecipientKeys keys) {
        this.localAccounts = localAccounts;
        this.keys = keys;
    }

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress recipient) {
        boolean someAccountWithoutKey = localAccounts.accountsReachedBy(recipient).stream()
                .anyMatch(account -> keys.publicKeyOf(account.asString()).isEmpty());
        return someAccountWithoutKey ? WAITING_FOR_KEY : HookResult.DECLINED;
    }
}
