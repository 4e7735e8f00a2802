package org.essaim.mailserver.search;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;

import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.store.mail.model.MailboxMessage;
import org.essaim.crypto.EncryptedMessages;

/** One stored message during a scan: its metadata at once, its headers and body read only if a criterion asks. */
final class ScannedMessage {
    private final MailboxMessage message;
    private OuterHeaders headers;
    private Boolean encrypted;

    ScannedMessage(MailboxMessage message) {
        this.message = message;
    }

    MailboxMessage stored() {
        return message;
    }

    MessageUid uid() {
        return message.getUid();
    }

    OuterHeaders headers() {
        if (headers == null) {
            try (InputStream in = message.getHeaderContent()) {
                headers = OuterHeaders.parse(in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return headers;
    }

    /**
     * End-to-end encrypted mail (the usual case): its body is ciphertext, which no search looks into. Decided from
     * the outer Content-Type when it says so, else from the bytes (inline PGP).
     */
    boolean encrypted() {
        if (encrypted == null) {
            String type = String.valueOf(headers().first("Content-Type")).toLowerCase(Locale.ROOT);
            encrypted = type.startsWith("multipart/encrypted") || EncryptedMessages.isEncrypted(fullContent());
        }
        return encrypted;
    }

    byte[] fullContent() {
        try (InputStream in = message.getFullContent()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
