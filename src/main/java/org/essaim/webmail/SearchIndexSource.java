package org.essaim.webmail;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.mail.Address;
import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.UIDFolder;
import jakarta.mail.internet.InternetAddress;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.vaadin.flow.server.streams.DownloadEvent;
import com.vaadin.flow.server.streams.DownloadHandler;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the browser's search index (frontend/crypto/internal/search.js) reads to build itself: folder names, each
 * folder's UIDs and flags, the outer headers of given messages with their encrypted subject, and stored messages
 * as bytes (ciphertext, BODY.PEEK: indexing does not mark mail read). One download URL of the session's
 * {@link MailboxConnection}, with {@code op} and its parameters in the query string. The search words never come
 * here: the server only sees the same requests a mail client makes to synchronise.
 */
final class SearchIndexSource implements DownloadHandler {
    private static final Logger LOGGER = LoggerFactory.getLogger(SearchIndexSource.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_UIDS_PER_REQUEST = 500;
    private static final String[] HEADERS = {MessageRows.ENCRYPTED_SUBJECT, "Message-ID", "Content-Type", "In-Reply-To", "References"};

    private final MailboxConnection mailbox;

    SearchIndexSource(MailboxConnection mailbox) {
        this.mailbox = mailbox;
    }

    @Override
    public void handleDownloadRequest(DownloadEvent event) throws IOException {
        event.getResponse().setHeader("Cache-Control", "no-store");
        String op = event.getRequest().getParameter("op");
        String folder = event.getRequest().getParameter("folder");
        try {
            switch (op == null ? "" : op) {
                case "folders" -> json(event, mailbox.folderNames().stream().map(name -> Map.of("name", name)).toList());
                case "uids" -> json(event, mailbox.inFolder(folder, SearchIndexSource::uidsAndFlags));
                case "meta" -> json(event, mailbox.inFolder(folder, open -> rows(open, uids(event.getRequest().getParameter("uids")))));
                case "raw" -> raw(event, folder, Long.parseLong(event.getRequest().getParameter("uid")));
                default -> event.getResponse().setStatus(400);
            }
        } catch (NumberFormatException e) {
            event.getResponse().setStatus(400);
        } catch (MessagingException | MailboxUnavailableException e) {
            LOGGER.warn("The search index source cannot read the mailbox: {}", e.getMessage());
            event.getResponse().setStatus(502);
        }
    }

    private static void json(DownloadEvent event, Object value) throws IOException {
        event.setContentType("application/json");
        try (OutputStream out = event.getOutputStream()) {
            JSON.writeValue(out, value);
        }
    }

    private void raw(DownloadEvent event, String folder, long uid) throws MessagingException, IOException {
        Optional<byte[]> stored = mailbox.storedBytes(folder, uid);
        if (stored.isEmpty()) {
            event.getResponse().setStatus(404);
            return;
        }
        event.setContentType("message/rfc822");
        try (OutputStream out = event.getOutputStream()) {
            out.write(stored.get());
        }
    }

    private static long[] uids(String list) {
        long[] uids = Arrays.stream(list == null ? new String[0] : list.split(","))
                .filter(s -> !s.isBlank()).mapToLong(Long::parseLong).toArray();
        if (uids.length > MAX_UIDS_PER_REQUEST) {
            throw new NumberFormatException("too many UIDs");
        }
        return uids;
    }

    /** {"uidValidity": n, "messages": [[uid, seen 0/1, flagged 0/1], ...]} in one FETCH of UID and FLAGS. */
    private static Map<String, Object> uidsAndFlags(Folder folder) throws MessagingException {
        Message[] messages = folder.getMessages();
        FetchProfile profile = new FetchProfile();
        profile.add(FetchProfile.Item.FLAGS);
        profile.add(UIDFolder.FetchProfileItem.UID);
        folder.fetch(messages, profile);
        UIDFolder uids = (UIDFolder) folder;
        List<long[]> list = new ArrayList<>(messages.length);
        for (Message message : messages) {
            if (message.isExpunged()) {
                continue;
            }
            Flags flags = message.getFlags();
            list.add(new long[] {uids.getUID(message), flags.contains(Flags.Flag.SEEN) ? 1 : 0, flags.contains(Flags.Flag.FLAGGED) ? 1 : 0});
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("uidValidity", uids.getUIDValidity());
        result.put("messages", list);
        return result;
    }

    /** The outer headers of the given messages, with the Essaim-Encrypted-Subject ciphertext, in one FETCH. */
    private static List<Map<String, Object>> rows(Folder folder, long[] wanted) throws MessagingException {
        UIDFolder uids = (UIDFolder) folder;
        Message[] messages = Arrays.stream(uids.getMessagesByUID(wanted)).filter(m -> m != null && !m.isExpunged())
                .toArray(Message[]::new);
        FetchProfile profile = new FetchProfile();
        profile.add(FetchProfile.Item.ENVELOPE);
        profile.add(FetchProfile.Item.FLAGS);
        profile.add(FetchProfile.Item.SIZE);
        profile.add(UIDFolder.FetchProfileItem.UID);
        for (String header : HEADERS) {
            profile.add(header);
        }
        folder.fetch(messages, profile);
        List<Map<String, Object>> rows = new ArrayList<>(messages.length);
        for (Message message : messages) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("uid", uids.getUID(message));
            row.put("from", addresses(message.getFrom()));
            row.put("to", addresses(message.getRecipients(Message.RecipientType.TO)));
            row.put("cc", addresses(message.getRecipients(Message.RecipientType.CC)));
            java.util.Date date = message.getSentDate() != null ? message.getSentDate() : message.getReceivedDate();
            row.put("date", date == null ? null : date.getTime());
            row.put("size", message.getSize());
            row.put("seen", message.isSet(Flags.Flag.SEEN));
            row.put("flagged", message.isSet(Flags.Flag.FLAGGED));
            row.put("subject", message.getSubject());
            row.put("messageId", first(message, "Message-ID"));
            row.put("inReplyTo", first(message, "In-Reply-To"));
            row.put("references", first(message, "References"));
            row.put("contentType", first(message, "Content-Type"));
            String encrypted = first(message, MessageRows.ENCRYPTED_SUBJECT);
            row.put("encryptedSubject", encrypted == null ? null : encrypted.replaceAll("\\s+", ""));
            rows.add(row);
        }
        return rows;
    }

    private static String first(Message message, String header) throws MessagingException {
        String[] values = message.getHeader(header);
        return values == null || values.length == 0 ? null : values[0];
    }

    private static String addresses(Address[] addresses) {
        if (addresses == null) {
            return "";
        }
        List<String> shown = new ArrayList<>(addresses.length);
        for (Address address : addresses) {
            if (address instanceof InternetAddress internet) {
                String name = internet.getPersonal();
                shown.add(name == null || name.isBlank() ? internet.getAddress() : name + " <" + internet.getAddress() + ">");
            } else {
                shown.add(address.toString());
            }
        }
        return String.join(", ", shown);
    }
}
