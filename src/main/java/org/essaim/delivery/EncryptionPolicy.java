package org.essaim.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

import org.essaim.crypto.EncryptedMessages;
import org.essaim.crypto.PgpMimeEncryptor;

/**
 * The one rule for what may be stored for an account, whichever way a message comes in (SMTP delivery, IMAP APPEND,
 * the sweep over mail stored before a key existed): mail that is really end-to-end encrypted is stored exactly as it
 * came; anything else is encrypted to the owner's published key first; when that cannot be done, nothing is stored.
 * Each caller turns the one {@link Decision} into its protocol's answer (an SMTP reply, an IMAP NO, a skipped
 * message). Plain Java, no Spring and no James types, so the same rule loads into a stock James.
 * <p>
 * "Really encrypted" is decided by form, not label ({@link EncryptedMessages}): a {@code multipart/encrypted}
 * wrapper, an armor line or an S/MIME label around plaintext is encrypted like any plaintext.
 */
public final class EncryptionPolicy {
    private final RecipientKeys keys;
    private final PgpMimeEncryptor encryptor = new PgpMimeEncryptor();

    public EncryptionPolicy(RecipientKeys keys) {
        this.keys = keys;
    }

    /** What to store for {@code owner}, given the message as it came. */
    public Decision decide(byte[] message, String owner) {
        return examine(message).forOwner(owner);
    }

    /** Looks at the message once, for a caller that stores it for several owners (one ciphertext each). */
    public Examined examine(byte[] message) {
        return new Examined(message, EncryptedMessages.isEncrypted(message));
    }

    /**
     * The same rule for a message read as a stream, as often as needed (a large message is never held whole in
     * memory: issue 11 item 6). The ciphertext goes to a target the caller gives.
     */
    public Streamed examine(MessageSource message) throws IOException {
        try (InputStream in = message.open()) {
            return new Streamed(message, EncryptedMessages.isEncrypted(in));
        }
    }

    /** A message that can be read from its first byte as often as needed. */
    @FunctionalInterface
    public interface MessageSource {
        InputStream open() throws IOException;
    }

    /** A streamed message whose form was looked at. */
    public final class Streamed {
        private final MessageSource message;
        private final boolean alreadyEncrypted;

        private Streamed(MessageSource message, boolean alreadyEncrypted) {
            this.message = message;
            this.alreadyEncrypted = alreadyEncrypted;
        }

        public boolean isAlreadyEncrypted() {
            return alreadyEncrypted;
        }

        /**
         * What to store for {@code owner}; for {@link Kind#ENCRYPTED} the ciphertext was written to {@code target}
         * ({@link Decision#message()} is null). Nothing is written in the other cases.
         */
        public Decision encryptInto(String owner, OutputStream target) throws IOException {
            if (alreadyEncrypted) {
                return Decision.ALREADY_ENCRYPTED;
            }
            Optional<byte[]> key = keys.publicKeyOf(owner);
            if (key.isEmpty()) {
                return Decision.NO_KEY;
            }
            try (InputStream in = message.open()) {
                encryptor.encrypt(in, key.get(), target);
                return Decision.ENCRYPTED_INTO_TARGET;
            } catch (PgpMimeEncryptor.EncryptionFailedException e) {
                return Decision.refused(e.getMessage());
            }
        }
    }

    /** A message whose form was looked at: already encrypted or not. */
    public final class Examined {
        private final byte[] message;
        private final boolean alreadyEncrypted;

        private Examined(byte[] message, boolean alreadyEncrypted) {
            this.message = message;
            this.alreadyEncrypted = alreadyEncrypted;
        }

        /** Really end-to-end encrypted: every owner gets it as it came. */
        public boolean isAlreadyEncrypted() {
            return alreadyEncrypted;
        }

        public Decision forOwner(String owner) {
            if (alreadyEncrypted) {
                return Decision.ALREADY_ENCRYPTED;
            }
            Optional<byte[]> key = keys.publicKeyOf(owner);
            if (key.isEmpty()) {
                return Decision.NO_KEY;
            }
            try {
                return Decision.encrypted(encryptor.encrypt(message, key.get()));
            } catch (PgpMimeEncryptor.EncryptionFailedException e) {
                return Decision.refused(e.getMessage());
            }
        }
    }

    /**
     * The outcome for one message and one owner.
     *
     * @param kind    which of the four cases
     * @param message what to store instead (the ciphertext) when {@link Kind#ENCRYPTED}, else null (null too when it
     *                was written to the caller's target: {@link Streamed#encryptInto})
     * @param reason  why nothing may be stored when {@link Kind#REFUSED} (never quotes the message), else null
     */
    public record Decision(Kind kind, byte[] message, String reason) {
        static final Decision ALREADY_ENCRYPTED = new Decision(Kind.ALREADY_ENCRYPTED, null, null);
        static final Decision NO_KEY = new Decision(Kind.NO_KEY, null, null);
        static final Decision ENCRYPTED_INTO_TARGET = new Decision(Kind.ENCRYPTED, null, null);

        static Decision encrypted(byte[] ciphertext) {
            return new Decision(Kind.ENCRYPTED, ciphertext, null);
        }

        static Decision refused(String reason) {
            return new Decision(Kind.REFUSED, null, reason);
        }
    }

    public enum Kind {
        /** Really end-to-end encrypted: store the bytes exactly as they came. */
        ALREADY_ENCRYPTED,
        /** Plaintext (or dressed as encrypted) for an owner with a key: store {@link Decision#message()} instead. */
        ENCRYPTED,
        /** Plaintext for an owner who has published no key yet: nothing to encrypt to. */
        NO_KEY,
        /** The owner's key cannot be used (unreadable, expired, no encryption subkey): store nothing. */
        REFUSED
    }
}
