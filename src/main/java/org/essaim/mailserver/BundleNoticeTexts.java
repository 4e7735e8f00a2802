package org.essaim.mailserver;

import org.essaim.delivery.NoticeTexts;
import org.essaim.i18n.LanguagePreferences;
import org.essaim.i18n.MailTexts;
import org.springframework.stereotype.Component;

/**
 * The words of delivery's own mail from the bundles ({@link MailTexts}), in the language the recipient chose
 * ({@link LanguagePreferences}), looked up at each notice: a choice made in My account applies to the next one.
 */
@Component
public class BundleNoticeTexts implements NoticeTexts {
    private final LanguagePreferences languages;

    public BundleNoticeTexts(LanguagePreferences languages) {
        this.languages = languages;
    }

    @Override
    public String subject(String recipient, String key, Object... params) {
        return MailTexts.subject(languages.of(recipient), key, params);
    }

    @Override
    public String body(String recipient, String key, Object... params) {
        return MailTexts.body(languages.of(recipient), key, params);
    }

    @Override
    public String smtpReply(String status, String key, Object... params) {
        return MailTexts.smtpReply(status, key, params);
    }
}
