package org.essaim.webmail.composing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.mail.Address;
import jakarta.mail.FetchProfile;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;

import org.essaim.webmail.MailboxConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.vaadin.flow.spring.annotation.VaadinSessionScope;

/**
 * The addresses the user wrote to or heard from, for completion in the address fields: the outer From, To and
 * Cc of the newest envelopes of INBOX and Sent (headers the server sees anyway). Scanned once per session and
 * bounded, so a large mailbox costs one quick envelope fetch, not a crawl.
 */
@Component
@VaadinSessionScope
public class PastCorrespondents {
    private static final Logger LOGGER = LoggerFactory.getLogger(PastCorrespondents.class);
    static final int ENVELOPES_PER_FOLDER = 500;
    private static final List<String> FOLDERS = List.of("INBOX", ComposerMailbox.SENT);

    private final MailboxConnection mailbox;
    private List<String> cached;

    public PastCorrespondents(MailboxConnection mailbox) {
        this.mailbox = mailbox;
    }

    /** Addresses, most recent first, without the user's own. */
    public synchronized List<String> addresses(String self) {
        if (cached == null) {
            cached = scan(self.toLowerCase(Locale.ROOT));
        }
        return cached;
    }

    /** Adds the recipients of a message just sent, so they complete at once. */
    public synchronized void remember(List<String> addresses) {
        if (cached != null) {
            List<String> next = new ArrayList<>(addresses);
            cached.stream().filter(a -> !next.contains(a)).forEach(next::add);
            cached = next;
        }
    }

    private List<String> scan(String self) {
        Map<String, Long> lastSeen = new LinkedHashMap<>();
        for (String name : FOLDERS) {
            try {
                if (!mailbox.folderExists(name)) {
                    continue;
                }
                mailbox.inFolder(name, folder -> {
                    collect(folder, self, lastSeen);
                    return null;
                });
            } catch (MessagingException | RuntimeException e) {
                LOGGER.debug("Scanning {} for correspondents failed: {}", name, e.getMessage());
            }
        }
        return lastSeen.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(Map.Entry::getKey)
                .toList();
    }

    private static void collect(Folder folder, String self, Map<String, Long> lastSeen) throws MessagingException {
        int count = folder.getMessageCount();
        if (count == 0) {
            return;
        }
        Message[] messages = folder.getMessages(Math.max(1, count - ENVELOPES_PER_FOLDER + 1), count);
        FetchProfile profile = new FetchProfile();
        profile.add(FetchProfile.Item.ENVELOPE);
        folder.fetch(messages, profile);
        for (Message message : messages) {
            long when = message.getSentDate() == null ? 0 : message.getSentDate().getTime();
            add(message.getFrom(), self, when, lastSeen);
            add(message.getRecipients(Message.RecipientType.TO), self, when, lastSeen);
            add(message.getRecipients(Message.RecipientType.CC), self, when, lastSeen);
        }
    }

    private static void add(Address[] addresses, String self, long when, Map<String, Long> lastSeen) {
        if (addresses == null) {
            return;
        }
        for (Address address : addresses) {
            if (address instanceof InternetAddress internet && internet.getAddress() != null) {
                String normalized = internet.getAddress().toLowerCase(Locale.ROOT);
                if (!normalized.equals(self) && normalized.contains("@")) {
                    lastSeen.merge(normalized, when, Math::max);
                }
            }
        }
    }
}
