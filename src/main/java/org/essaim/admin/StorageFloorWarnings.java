package org.essaim.admin;

import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

import org.essaim.accounts.AccountRoles;
import org.essaim.config.EssaimProperties;
import org.essaim.delivery.StorageFloor;
import org.essaim.i18n.LanguagePreferences;
import org.essaim.i18n.MailTexts;
import org.essaim.mailserver.MailServerBridge;
import org.essaim.mailserver.MailServerException;
import org.essaim.webmail.MessageSizes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Mails every admin when the data directory's disk gets low (less than twice the free-space floor left) and when
 * it reaches the floor (new mail refused with 4xx), and once more when space is back. Checked every 30 seconds;
 * one notice per change of state, not per check. The storage page shows the same state. Each admin reads it in
 * their language (both when they never chose one).
 */
@Component
public class StorageFloorWarnings {
    private static final Logger LOGGER = LoggerFactory.getLogger(StorageFloorWarnings.class);

    private final StorageFloor floor;
    private final AccountRoles roles;
    private final MailServerBridge mailServer;
    private final EssaimProperties settings;
    private final LanguagePreferences languages;
    private StorageFloor.State lastState = StorageFloor.State.OK;

    public StorageFloorWarnings(StorageFloor floor, AccountRoles roles, MailServerBridge mailServer, EssaimProperties settings,
                                LanguagePreferences languages) {
        this.floor = floor;
        this.roles = roles;
        this.mailServer = mailServer;
        this.settings = settings;
        this.languages = languages;
    }

    @Scheduled(initialDelay = 5_000, fixedDelay = 30_000)
    public synchronized void check() {
        StorageFloor.State state = floor.state();
        if (state == lastState) {
            return;
        }
        StorageFloor.State previous = lastState;
        lastState = state;
        LOGGER.warn("Storage of the data directory: {} ({} free, floor {})", state,
                MessageSizes.human(floor.usableBytes()), MessageSizes.human(floor.minFreeBytes()));
        for (String admin : roles.admins()) {
            try {
                mailServer.deliverNotice(admin, notice(admin, state, previous));
            } catch (MailServerException e) {
                LOGGER.warn("Storage notice not delivered to an admin: {}", e.getMessage());
            }
        }
    }

    private byte[] notice(String admin, StorageFloor.State state, StorageFloor.State previous) {
        Optional<Locale> language = languages.of(admin);
        String headline = "mail.notice.storage." + state.name();
        String text = "From: Essaim <postmaster@" + settings.domain() + ">\r\n"
                + "To: <" + admin + ">\r\n"
                + "Subject: " + MailTexts.subject(language, locale -> MailTexts.text(locale, "mail.notice.storage.subject",
                        MailTexts.text(locale, headline))) + "\r\n"
                + "Date: " + ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT)) + "\r\n"
                + "Message-ID: <storage-" + System.currentTimeMillis() + "@" + settings.domain() + ">\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n"
                + "\r\n"
                + MailTexts.body(language, locale -> MailTexts.text(locale, headline) + ".\n\n"
                        + MailTexts.text(locale, state == StorageFloor.State.OK ? "mail.notice.storage.bodyOk" : "mail.notice.storage.body",
                        MessageSizes.human(floor.usableBytes()), MessageSizes.human(floor.minFreeBytes()), previous, state)) + "\r\n";
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
