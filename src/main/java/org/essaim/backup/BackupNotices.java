package org.essaim.backup;

import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import org.essaim.accounts.AccountRoles;
import org.essaim.config.EssaimProperties;
import org.essaim.i18n.LanguagePreferences;
import org.essaim.i18n.MailTexts;
import org.essaim.mailserver.MailServerBridge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Tells the admins by mail (into their INBOX, encrypted to their keys like any mail) when a backup failed, in each
 * admin's language (both when they never chose one).
 */
@Component
public class BackupNotices {
    private static final Logger LOGGER = LoggerFactory.getLogger(BackupNotices.class);
    /** How the English subject starts (i18n key mail.notice.backupFailed.subject). */
    static final String SUBJECT = "Backup failed";

    private final AccountRoles roles;
    private final MailServerBridge mailServer;
    private final EssaimProperties settings;
    private final LanguagePreferences languages;

    public BackupNotices(AccountRoles roles, MailServerBridge mailServer, EssaimProperties settings, LanguagePreferences languages) {
        this.roles = roles;
        this.mailServer = mailServer;
        this.settings = settings;
        this.languages = languages;
    }

    void backupFailed(String reason) {
        for (String admin : roles.admins()) {
            try {
                mailServer.appendToInbox(admin, notice(admin, reason));
            } catch (RuntimeException e) {
                LOGGER.error("Could not tell {} that the backup failed: {}", admin, e.getMessage());
            }
        }
    }

    private byte[] notice(String admin, String reason) {
        Optional<Locale> language = languages.of(admin);
        String host = settings.effectiveHostname();
        String text = "From: Essaim <postmaster@" + settings.domain() + ">\r\n"
                + "To: <" + admin + ">\r\n"
                + "Subject: " + MailTexts.subject(language, "mail.notice.backupFailed.subject", host) + "\r\n"
                + "Date: " + DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now()) + "\r\n"
                + "Message-ID: <" + UUID.randomUUID() + "@" + host + ">\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n"
                + "\r\n"
                + MailTexts.body(language, "mail.notice.backupFailed.body", host, reason) + "\r\n";
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
