package org.essaim.delivery;

import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;

/**
 * An SMTP refusal whose words are in every language, English first, on one ASCII line ({@link NoticeTexts#smtpReply}):
 * the sending server quotes it in its bounce to a sender whose language nobody here knows. Hooks build a fixed one once,
 * when James creates them (the words do not change while the server runs), and one naming a domain or addresses when
 * they refuse.
 */
public final class TranslatedRefusal {
    private TranslatedRefusal() {
    }

    /**
     * @param code   the reply code, e.g. {@code 452} (a deny-soft alone would answer 451)
     * @param status the enhanced status code, e.g. {@code 4.2.2}
     * @param key    the words' bundle key, {@code smtp.reply.*}
     * @param params what the words name (a domain, addresses)
     */
    public static HookResult of(HookReturnCode returnCode, String code, String status, NoticeTexts texts, String key,
                                Object... params) {
        return HookResult.builder()
                .hookReturnCode(returnCode)
                .smtpReturnCode(code)
                .smtpDescription(texts.smtpReply(status, key, params))
                .build();
    }
}
