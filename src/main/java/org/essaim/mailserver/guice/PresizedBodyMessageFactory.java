package org.essaim.mailserver.guice;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.Date;
import java.util.List;

import javax.mail.Flags;

import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.jpa.mail.model.JPAMailbox;
import org.apache.james.mailbox.jpa.mail.model.openjpa.AbstractJPAMailboxMessage;
import org.apache.james.mailbox.jpa.mail.model.openjpa.JPAMailboxMessage;
import org.apache.james.mailbox.model.Content;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.model.MessageAttachmentMetadata;
import org.apache.james.mailbox.model.MessageId;
import org.apache.james.mailbox.model.ThreadId;
import org.apache.james.mailbox.store.MessageFactory;
import org.apache.james.mailbox.store.mail.model.impl.PropertyBuilder;

/**
 * Builds James' JPA message entity ({@link JPAMailboxMessage}, the only one 3.8.1 can read back) with its body read
 * straight into one array of the right size. James' {@code OpenJPAMessageFactory} reads it with
 * {@code IOUtils.toByteArray}, which collects it in growing buffers and then copies them: for a 45 MB message (62
 * MB of armored ciphertext) that is 190 MB of heap at once, more than the documented {@code -Xmx384m} leaves
 * (issue 11 item 6). The entity has no constructor taking the body, so it is built with an empty body and the
 * body field is set before the entity is persisted (it is not managed yet: plain field access).
 * Small messages are built exactly as James does.
 */
final class PresizedBodyMessageFactory implements MessageFactory<AbstractJPAMailboxMessage> {
    private static final int PRESIZED_FROM = 256 * 1024;
    private static final Field BODY = bodyField();

    @Override
    public AbstractJPAMailboxMessage createMessage(MessageId messageId, ThreadId threadId, Mailbox mailbox,
                                                   Date internalDate, Date saveDate, int size, int bodyStartOctet,
                                                   Content content, Flags flags, PropertyBuilder propertyBuilder,
                                                   List<MessageAttachmentMetadata> attachments) throws MailboxException {
        long bodyLength = content.size() - bodyStartOctet;
        if (bodyLength < PRESIZED_FROM || BODY == null) {
            return new JPAMailboxMessage(JPAMailbox.from(mailbox), internalDate, size, flags, content, bodyStartOctet,
                    propertyBuilder);
        }
        byte[] header;
        byte[] body = new byte[(int) bodyLength];
        int read;
        try (InputStream in = content.getInputStream()) {
            header = in.readNBytes(bodyStartOctet);
            read = in.readNBytes(body, 0, body.length);
        } catch (IOException e) {
            throw new MailboxException("Unable to read the message", e);
        }
        JPAMailboxMessage message = new JPAMailboxMessage(JPAMailbox.from(mailbox), internalDate, size, flags,
                headerOnly(header), bodyStartOctet, propertyBuilder);
        try {
            BODY.set(message, read == body.length ? body : Arrays.copyOf(body, read));
        } catch (IllegalAccessException e) {
            throw new MailboxException("Unable to build the message", e);
        }
        return message;
    }

    private static Content headerOnly(byte[] header) {
        return new Content() {
            @Override
            public InputStream getInputStream() {
                return new ByteArrayInputStream(header);
            }

            @Override
            public long size() {
                return header.length;
            }
        };
    }

    /** James' field, or null (then every message is built James' way) should a later James rename it. */
    private static Field bodyField() {
        try {
            Field field = JPAMailboxMessage.class.getDeclaredField("body");
            if (field.getType() != byte[].class) {
                return null;
            }
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException | RuntimeException e) {
            return null;
        }
    }
}
