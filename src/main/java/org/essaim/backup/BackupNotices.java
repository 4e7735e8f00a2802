package org.essaim.backup;

import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

import org.essaim.accounts.AccountRoles;
import org.essaim.config.EssaimProperties;
import org.essaim.mailserver.MailServerBridge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Tells the admins by mail (into their INBOX, encrypted to their keys like any mail) when a backup failed. */
@Component
public class BackupNotices {
    private static final Logger LOGGER = LoggerFactory.getLogger(BackupNotices.class);
    static final String SUBJECT = "Backup failed";

    private final AccountRoles roles;
    private final MailServerBridge mailServer;
    private final EssaimProperties settings;

    public BackupNotices(AccountRoles roles, MailServerBridge mailServer, EssaimProperties settings) {
        this.roles = roles;
        this.mailServer = mailServer;
        this.settings = settings;
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
        String text = "From: Essaim <postmaster@" + settings.domain() + ">\r\n"
                + "To: <" + admin + ">\r\n"
                + "Subject: " + SUBJECT + " on " + settings.effectiveHostname() + "\r\n"
                + "Date: " + DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now()) + "\r\n"
                + "Message-ID: <" + UUID.randomUUID() + "@" + settings.effectiveHostname() + ">\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n"
                + "\r\n"
                + "The backup of " + settings.effectiveHostname() + " failed:\r\n\r\n"
                + reason + "\r\n\r\n"
                + "Earlier backups are untouched. The next attempt is at the next scheduled time; the Storage page\r\n"
                + "shows the last run, and the public log has a backup.failed entry.\r\n";
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
