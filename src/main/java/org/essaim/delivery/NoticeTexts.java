package org.essaim.delivery;

/**
 * The words of the mail James' side writes itself to a local account (delivery reports to a sender, the notice that
 * mail waits for a key), taken from the application's bundles by key ({@code mail.notice.*}): in the language the
 * recipient chose in My account, otherwise in every language offered, English first; and of its SMTP replies, in
 * every language (keys {@code smtp.reply.*}). The application implements it
 * (mailserver/BundleNoticeTexts) and lends it to James' injector; plain types, so the hooks and mailets still load
 * into a stock James as an extension, without the bundles' Spring and Vaadin classes.
 */
public interface NoticeTexts {

    /** A subject ready for a header line: RFC 2047 encoded when it is not ASCII; languages joined by " / ". */
    String subject(String recipient, String key, Object... params);

    /** A body text with CRLF line ends; when the recipient's language is unknown, every language in turn. */
    String body(String recipient, String key, Object... params);

    /**
     * The text of an SMTP reply after its code: the enhanced status, then the words in every language, English
     * first, on one ASCII line (the sender's language is unknown; keys {@code smtp.reply.*}).
     */
    String smtpReply(String status, String key, Object... params);
}
