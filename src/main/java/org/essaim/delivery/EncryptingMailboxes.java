package org.essaim.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Date;
import java.util.Optional;

import javax.mail.Flags;

import org.apache.james.core.Username;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.MessageManager.AppendCommand;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.Content;
import org.essaim.delivery.spool.MessageSpool;
import org.essaim.delivery.spool.SpooledMessage;
import org.reactivestreams.Publisher;

import reactor.core.publisher.Mono;

/**
 * Wraps James' mailbox manager so that every message appended to a mailbox whose owner has published a key is
 * encrypted to that key first (as a stream, into memory or an encrypted temp file: never a plaintext copy on disk): IMAP APPEND of a plaintext message (a draft, a copy of sent mail, an
 * import) is stored as ciphertext like delivered mail. What passes untouched is decided by {@link EncryptionPolicy}:
 * content that really is end-to-end encrypted (what SMTP delivery stores), or anything while the owner has no key. The wrapping sits above James' store, which would otherwise spool the appended
 * content to a temporary file before anything else sees it.
 * <p>
 * Written as dynamic proxies: only the calls that return a mailbox and the append calls are intercepted, every
 * other call goes to James unchanged, whatever the size of its interfaces.
 */
public final class EncryptingMailboxes {

    private EncryptingMailboxes() {
    }

    public static MailboxManager decorate(MailboxManager mailboxManager, RecipientKeys keys, DurableCommits durableCommits,
                                          StorageFloor floor) {
        Appender appender = new Appender(keys, durableCommits, floor);
        return proxy(MailboxManager.class, mailboxManager, (target, method, args) -> {
            Object result = invoke(target, method, args);
            if (method.getName().equals("getMailbox") && result instanceof MessageManager mailbox) {
                return appender.wrap(mailbox);
            }
            if (method.getName().equals("getMailboxReactive") && result instanceof Publisher<?> publisher) {
                return Mono.from(publisher).map(mailbox -> appender.wrap((MessageManager) mailbox));
            }
            return result;
        });
    }

    /**
     * Stores appended content as {@link EncryptionPolicy} decides for the mailbox owner. An IMAP APPEND is answered OK only once the message
     * is durable; deliveries (flagged as such by the caller) wait for durability themselves, once per message
     * rather than once per copy.
     */
    static final class Appender {
        private final EncryptionPolicy policy;
        private final DurableCommits durableCommits;
        private final StorageFloor floor;
        private final MessageSpool spool = MessageSpool.inTemporaryDirectory();

        Appender(RecipientKeys keys, DurableCommits durableCommits, StorageFloor floor) {
            this.policy = new EncryptionPolicy(keys);
            this.durableCommits = durableCommits;
            this.floor = floor;
        }

        /**
         * IMAP APPEND below the disk's free-space floor gets NO. Deliveries are not checked here: the SMTP session
         * decided (452) before answering 250, and a copy accepted then must be stored, not bounced.
         */
        private void checkFloor(long size) throws MailboxException {
            if (!floor.allows(size)) {
                throw new MailboxException("Insufficient storage on the server: try again later");
            }
        }

        private Object durable(Object appendResult, boolean delivery) {
            if (!delivery) {
                durableCommits.awaitDurable();
            }
            return appendResult;
        }

        MessageManager wrap(MessageManager mailbox) {
            return proxy(MessageManager.class, mailbox, (target, method, args) -> {
                if (method.getName().equals("appendMessage") && args.length == 2 && args[0] instanceof AppendCommand command) {
                    try (Encrypted encrypted = encrypted(mailbox, command)) {
                        return durable(invoke(target, method, new Object[] {encrypted.command(), args[1]}), command.isDelivery());
                    }
                }
                if (method.getName().equals("appendMessageReactive") && args[0] instanceof AppendCommand command) {
                    MailboxSession session = (MailboxSession) args[1];
                    return Mono.usingWhen(Mono.fromCallable(() -> encrypted(mailbox, command)),
                                    encrypted -> Mono.from(mailbox.appendMessageReactive(encrypted.command(), session)),
                                    encrypted -> Mono.fromRunnable(encrypted::close))
                            .map(result -> durable(result, command.isDelivery()));
                }
                if (method.getName().equals("appendMessage") && args.length == 5 && args[0] instanceof InputStream in) {
                    try (SpooledMessage spooled = spool.newMessage().readFrom(in);
                         Encrypted encrypted = encrypted(mailbox, AppendCommand.builder().build(contentOf(spooled)))) {
                        try (InputStream content = encrypted.command().getMsgIn().getInputStream()) {
                            return durable(mailbox.appendMessage(content, (Date) args[1], (MailboxSession) args[2],
                                    (Boolean) args[3], (Flags) args[4]), false);
                        }
                    } catch (IOException e) {
                        throw new MailboxException("Cannot read the appended message", e);
                    }
                }
                return invoke(target, method, args);
            });
        }

        /** The command to run, and the spooled ciphertext to release once it ran (none when nothing was encrypted). */
        record Encrypted(AppendCommand command, SpooledMessage ciphertext) implements AutoCloseable {
            @Override
            public void close() {
                if (ciphertext != null) {
                    ciphertext.close();
                }
            }
        }

        /**
         * The append command with its content encrypted to the owner's key, read and encrypted as a stream into a
         * spool (memory, or an encrypted temp file when large): a 30 MB APPEND is never copied whole into the heap.
         */
        private Encrypted encrypted(MessageManager mailbox, AppendCommand command) throws MailboxException {
            if (!command.isDelivery()) {
                checkFloor(command.getMsgIn().size());
            }
            if (command.getMsgIn() instanceof MailboxDelivery.CheckedContent) {
                return new Encrypted(command, null); // encrypted (or found encrypted) in the SMTP session a moment ago
            }
            Optional<String> owner = ownerOf(mailbox);
            if (owner.isEmpty()) {
                return new Encrypted(command, null);
            }
            try {
                EncryptionPolicy.Streamed examined = policy.examine(() -> command.getMsgIn().getInputStream());
                SpooledMessage ciphertext = spool.newMessage();
                EncryptionPolicy.Decision decision;
                try (OutputStream out = ciphertext.output()) {
                    decision = examined.encryptInto(owner.get(), out);
                } catch (IOException | RuntimeException e) {
                    ciphertext.close();
                    throw e;
                }
                switch (decision.kind()) {
                    case ENCRYPTED -> {
                        return new Encrypted(AppendCommand.builder()
                                .withInternalDate(command.getInternalDate())
                                .isRecent(command.isRecent())
                                .isDelivery(command.isDelivery())
                                .withFlags(command.getFlags())
                                .build(contentOf(ciphertext)), ciphertext);
                    }
                    case REFUSED -> {
                        ciphertext.close();
                        // Refuse rather than store plaintext for someone who has a key.
                        throw new MailboxException("The message could not be encrypted to the mailbox owner's key: "
                                + decision.reason());
                    }
                    default -> {
                        // Already end-to-end encrypted, or the owner has no key yet (the stored-plaintext sweep
                        // encrypts it once a key is published): stored as it came.
                        ciphertext.close();
                        return new Encrypted(command, null);
                    }
                }
            } catch (IOException e) {
                throw new MailboxException("Cannot read the appended message", e);
            }
        }

        private static Content contentOf(SpooledMessage message) {
            return new Content() {
                @Override
                public InputStream getInputStream() throws IOException {
                    return message.open();
                }

                @Override
                public long size() {
                    return message.size();
                }
            };
        }

        private static Optional<String> ownerOf(MessageManager mailbox) throws MailboxException {
            Username owner = mailbox.getMailboxPath().getUser();
            if (owner == null || owner.getDomainPart().isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(owner.asString());
        }
    }

    private interface Call {
        Object handle(Object target, Method method, Object[] args) throws Throwable;
    }

    private static <T> T proxy(Class<T> type, T target, Call call) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> "Encrypting(" + target + ")";
                };
            }
            return call.handle(target, method, args == null ? new Object[0] : args);
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
