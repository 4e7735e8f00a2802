package org.essaim.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import javax.inject.Inject;
import javax.inject.Named;

import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.MailboxPath;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells an account that has no key yet that mail is waiting for it: a short message in its INBOX, at most one a
 * day, saying only that someone tried to write and that publishing a key lets the mail in. Content-free on
 * purpose: no sender, no subject, nothing of the refused message (which the server never accepted). It is
 * stored in clear like any mail for an account without a key, and encrypted by the sweep once the key exists.
 */
public class KeyMissingNotices {
    private static final Logger LOGGER = LoggerFactory.getLogger(KeyMissingNotices.class);
    static final Duration INTERVAL = Duration.ofDays(1);
    private final MailboxManager mailboxes;
    private final NoticeTexts texts;
    private final Clock clock;
    private final Map<String, Instant> lastNotice = new ConcurrentHashMap<>();

    @Inject
    public KeyMissingNotices(@Named("mailboxmanager") MailboxManager mailboxes, NoticeTexts texts) {
        this(mailboxes, texts, Clock.systemUTC());
    }

    KeyMissingNotices(MailboxManager mailboxes, NoticeTexts texts, Clock clock) {
        this.mailboxes = mailboxes;
        this.texts = texts;
        this.clock = clock;
    }

    /** Leaves the notice in the account's INBOX unless one was left in the last day. Never fails the caller. */
    public void tell(MailAddress account) {
        String key = account.asString().toLowerCase(Locale.ROOT);
        Instant now = clock.instant();
        Instant previous = lastNotice.get(key);
        if (previous != null && previous.plus(INTERVAL).isAfter(now)) {
            return;
        }
        lastNotice.put(key, now);
        Username owner = Username.of(key);
        MailboxSession session = mailboxes.createSystemSession(owner);
        try {
            MessageManager inbox = mailboxes.getMailbox(MailboxPath.inbox(owner), session);
            byte[] notice = notice(account, now);
            inbox.appendMessage(MessageManager.AppendCommand.builder().build(notice), session);
            LOGGER.info("Told {} that mail waits for a published key", key);
        } catch (MailboxException | RuntimeException e) {
            LOGGER.warn("Could not tell {} that mail waits for a key: {}", key, e.getClass().getSimpleName());
        } finally {
            mailboxes.endProcessingRequest(session);
        }
    }

    /** The notice in the account's language, or in every language when it chose none (keys mail.notice.keyMissing.*). */
    byte[] notice(MailAddress account, Instant now) {
        String domain = account.getDomain().asString();
        String message = "From: Essaim <postmaster@" + domain + ">\r\n"
                + "To: <" + account.asString() + ">\r\n"
                + "Subject: " + texts.subject(account.asString(), "mail.notice.keyMissing.subject") + "\r\n"
                + "Date: " + DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.ofInstant(now, java.time.ZoneOffset.UTC)) + "\r\n"
                + "Message-ID: <" + UUID.randomUUID() + "@" + domain + ">\r\n"
                + "Auto-Submitted: auto-generated\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n"
                + "\r\n"
                + texts.body(account.asString(), "mail.notice.keyMissing.body") + "\r\n";
        return message.getBytes(StandardCharsets.UTF_8);
    }
}
