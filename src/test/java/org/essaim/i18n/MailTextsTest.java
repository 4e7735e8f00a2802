package org.essaim.i18n;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Optional;

import jakarta.mail.internet.MimeUtility;

import org.essaim.delivery.StorageFloor;
import org.junit.jupiter.api.Test;

/** Mail the server writes: in the recipient's language when known, in every language (English first) otherwise. */
class MailTextsTest {

    @Test
    void aKnownLanguageGetsOnlyThatLanguageAndTheSubjectIsAValidHeader() throws Exception {
        String subject = MailTexts.subject(Optional.of(Locale.forLanguageTag("fr-CA")), "mail.notice.backupFailed.subject", "mx.example");
        assertThat(subject).isEqualTo(MimeUtility.encodeText("La sauvegarde de mx.example a échoué", "UTF-8", "Q")).isASCII();
        assertThat(MimeUtility.decodeText(subject)).isEqualTo("La sauvegarde de mx.example a échoué");
        String body = MailTexts.body(Optional.of(Locale.FRENCH), "mail.notice.backupFailed.body", "mx.example", "disque plein");
        assertThat(body).startsWith("La sauvegarde de mx.example a échoué :\r\n\r\ndisque plein\r\n").contains("l'heure prévue")
                .doesNotContain("The backup").doesNotContain("\n\n");
        assertThat(MailTexts.subject(Optional.of(Locale.ENGLISH), "mail.notice.backupFailed.subject", "mx.example"))
                .isEqualTo("Backup failed on mx.example");
    }

    @Test
    void anUnknownLanguageGetsEveryLanguageEnglishFirst() throws Exception {
        String subject = MimeUtility.decodeText(MailTexts.subject(Optional.empty(), "mail.notice.backupFailed.subject", "mx.example"));
        assertThat(subject).isEqualTo("Backup failed on mx.example / La sauvegarde de mx.example a échoué");
        String body = MailTexts.body(Optional.empty(), locale -> MailTexts.text(locale, "mail.notice.storage.LOW") + ".\n\n"
                + MailTexts.text(locale, "mail.notice.storage.body", "1 GB", "512 MB", "OK", "LOW"));
        assertThat(body).startsWith("The disk is getting full").contains("\r\n---\r\n").contains("Le disque se remplit")
                .contains("data directory's disk: 1 GB").contains("Plancher d'espace libre (essaim.storage.min-free) : 512 MB");
        assertThat(body.indexOf("Le disque se remplit")).isGreaterThan(body.indexOf("Free some space"));
    }

    @Test
    void everyStorageStateHasItsHeadlineInEveryLanguage() {
        Translations translations = new Translations();
        for (StorageFloor.State state : StorageFloor.State.values()) {
            for (Locale language : translations.getProvidedLocales()) {
                String key = "mail.notice.storage." + state.name();
                assertThat(translations.getTranslation(key, language)).as(key + " in " + language).isNotEqualTo(key);
            }
        }
    }

    @Test
    void anSmtpReplyHoldsEveryLanguageEnglishFirstInAsciiAndLeavesOutWhatDoesNotFit() {
        String reply = MailTexts.smtpReply("5.7.1", "smtp.reply.list.membersOnly", "team@x.example", "team-subscribe@x.example");
        assertThat(reply).isEqualTo("5.7.1 Only members post to team@x.example; to join, write to team-subscribe@x.example"
                + " / Seuls les membres ecrivent a team@x.example ; pour s'abonner, ecrivez a team-subscribe@x.example");
        // one reply line is at most 512 octets with its code and CRLF: a list address of 188 characters fills it
        String fits = "550 " + MailTexts.smtpReply("5.7.1", "smtp.reply.list.membersOnly", address(188), "c@d.example") + "\r\n";
        assertThat(fits).hasSize(512).contains(" / Seuls les membres");
        String tooLong = "550 " + MailTexts.smtpReply("5.7.1", "smtp.reply.list.membersOnly", address(189), "c@d.example") + "\r\n";
        assertThat(tooLong).as("no room for French: English alone")
                .isEqualTo("550 5.7.1 Only members post to " + address(189) + "; to join, write to c@d.example\r\n");
        assertThat(MailTexts.ascii("« Cœur » à l\u2019été\u00a0: ünï 日")).isEqualTo("\" Coeur \" a l'ete : uni ?");
    }

    @Test
    void everySmtpReplyTextBecomesAsciiWithoutLosingALetter() throws Exception {
        Translations translations = new Translations();
        java.util.Properties english = new java.util.Properties();
        try (var in = MailTextsTest.class.getResourceAsStream("/i18n/messages.properties")) {
            english.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
        }
        java.util.List<String> keys = english.stringPropertyNames().stream().filter(k -> k.startsWith("smtp.reply.")).toList();
        assertThat(keys).isNotEmpty();
        for (String key : keys) {
            for (Locale language : translations.getProvidedLocales()) {
                assertThat(MailTexts.ascii(translations.getTranslation(key, language, "p", "q")))
                        .as(key + " in " + language).isASCII().doesNotContain("?");
            }
        }
    }

    private static String address(int length) {
        String domain = ".example";
        return "a".repeat(64) + "@" + "b".repeat(length - 64 - 1 - domain.length()) + domain;
    }
}
