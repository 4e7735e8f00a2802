package org.essaim.delivery.outbound;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.server.core.MailImpl;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.essaim.crypto.EncryptedMessages;
import org.essaim.crypto.PgpMimeEncryptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mail leaving in clear (standard clients over submission, without OpenPGP) is encrypted to each remote
 * recipient's key when one is found ({@link RemoteRecipientKeys}: Essaim's directory, then WKD), before it is
 * signed and sent: one copy per such recipient (a message encrypted to several keys would name every recipient's
 * key to each, Bcc included). The copy's outer header {@code Essaim-Encrypted-By-Sending-Server: <our host name>}
 * says that the sending server, not the sender, encrypted it. Recipients without a key get the message as written
 * (in the queue it is sealed under a key held only in memory: {@link SealedMailQueueFactory}).
 * <p>
 * Mail already encrypted by its sender (by form: {@link EncryptedMessages}) is left alone. A key that cannot be used
 * (expired, no encryption subkey) is treated as no key. First mailet of the {@code relay} processor, before
 * {@link DkimSign}: what is signed is the ciphertext that leaves. Parameter {@code sendingHost}: essaim.hostname.
 */
public class EncryptToRemoteKeys extends GenericMailet {
    private static final Logger LOGGER = LoggerFactory.getLogger(EncryptToRemoteKeys.class);

    private final RemoteRecipientKeys keys;
    private final PgpMimeEncryptor encryptor = new PgpMimeEncryptor();
    private String sendingHost;

    @Inject
    public EncryptToRemoteKeys(RemoteRecipientKeys keys) {
        this.keys = keys;
    }

    @Override
    public void init() throws MessagingException {
        sendingHost = getInitParameter("sendingHost", "localhost");
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        byte[] original;
        try {
            original = InMemoryMessage.bytesOf(mail.getMessage());
        } catch (IOException e) {
            throw new MessagingException("Cannot read mail " + mail.getName(), e);
        }
        if (EncryptedMessages.isEncrypted(original)) {
            return;
        }
        List<MailAddress> keyless = new ArrayList<>();
        List<Mail> encrypted = new ArrayList<>();
        try {
            for (MailAddress recipient : mail.getRecipients()) {
                Optional<byte[]> ciphertext = encryptedFor(mail, recipient, original);
                if (ciphertext.isEmpty()) {
                    keyless.add(recipient);
                } else if (mail.getRecipients().size() == 1) {
                    mail.setMessage(InMemoryMessage.of(mail.getName() + "-encrypted", ciphertext.get()));
                    LOGGER.info("Mail {} encrypted to its recipient's key before leaving", mail.getName());
                    return;
                } else {
                    encrypted.add(copyFor(mail, recipient, ciphertext.get()));
                }
            }
            for (Mail copy : encrypted) {
                getMailetContext().sendMail(copy, "relay"); // signed and sent like the rest, one recipient each
            }
            if (!encrypted.isEmpty()) {
                LOGGER.info("Mail {}: {} copies encrypted to their recipients' keys, {} recipients without a key",
                        mail.getName(), encrypted.size(), keyless.size());
                mail.setRecipients(keyless);
                if (keyless.isEmpty()) {
                    mail.setState(Mail.GHOST);
                }
            }
        } finally {
            encrypted.forEach(LifecycleUtil::dispose);
        }
    }

    private Optional<byte[]> encryptedFor(Mail mail, MailAddress recipient, byte[] original) {
        Optional<byte[]> key;
        try {
            key = keys.publicKeyOf(recipient.asString());
        } catch (RuntimeException e) {
            LOGGER.info("Mail {}: key lookup failed ({}); a recipient gets it as written", mail.getName(),
                    e.getClass().getSimpleName());
            return Optional.empty();
        }
        if (key.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(encryptor.encryptForSending(original, key.get(), sendingHost));
        } catch (PgpMimeEncryptor.EncryptionFailedException e) {
            LOGGER.info("Mail {}: a recipient's key cannot be used ({}); it gets the message as written",
                    mail.getName(), e.getMessage());
            return Optional.empty();
        }
    }

    private static Mail copyFor(Mail mail, MailAddress recipient, byte[] ciphertext) throws MessagingException {
        MailImpl copy = MailImpl.duplicateWithoutMessage(mail) // a derived name of its own
                .mimeMessage(InMemoryMessage.of(mail.getName() + "-encrypted", ciphertext))
                .build();
        copy.setRecipients(List.of(recipient));
        return copy;
    }

    @Override
    public String getMailetInfo() {
        return "Essaim: encrypt to remote recipients' keys before sending";
    }
}
