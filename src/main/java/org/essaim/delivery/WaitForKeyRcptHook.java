package org.essaim.delivery;

import java.util.List;

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
 * <p>The reply says why in words a mail client shows its user (mutt showed only "Could not send the message"
 * for the bare code), and the account is told, at most once a day, that someone is waiting for its key
 * ({@link KeyMissingNotices}, content-free).
 */
public class WaitForKeyRcptHook implements RcptHook {
    private final LocalAccounts localAccounts;
    private final RecipientKeys keys;
    private final KeyMissingNotices notices;
    private final HookResult waitingForKey;

    @Inject
    public WaitForKeyRcptHook(LocalAccounts localAccounts, RecipientKeys keys, KeyMissingNotices notices,
                              NoticeTexts texts) {
        this.localAccounts = localAccounts;
        this.keys = keys;
        this.notices = notices;
        this.waitingForKey = waitingForKey(texts);
    }

    /**
     * The temporary refusal, in every language (English first, ASCII): the sending server's bounce, if it ever gives
     * up, quotes it to a sender whose language is unknown here; mail clients show it to a member at once.
     */
    static HookResult waitingForKey(NoticeTexts texts) {
        return TranslatedRefusal.of(HookReturnCode.denySoft(), "450", "4.2.1", texts, "smtp.reply.keyMissing");
    }

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress recipient) {
        List<MailAddress> withoutKey = localAccounts.accountsReachedBy(recipient).stream()
                .filter(account -> keys.publicKeyOf(account.asString()).isEmpty())
                .toList();
        withoutKey.forEach(notices::tell);
        return withoutKey.isEmpty() ? HookResult.DECLINED : waitingForKey;
    }
}
