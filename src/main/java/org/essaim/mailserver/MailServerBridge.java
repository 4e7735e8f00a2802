package org.essaim.mailserver;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.OptionalLong;

import javax.mail.internet.AddressException;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.core.Username;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.SubscriptionManager;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.exception.MailboxExistsException;
import org.apache.james.core.quota.QuotaSizeLimit;
import org.apache.james.mailbox.model.MailboxMetaData;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.search.MailboxQuery;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.queue.api.ManageableMailQueue;
import org.apache.james.rrt.api.RecipientRewriteTable;
import org.apache.james.rrt.api.RecipientRewriteTableException;
import org.apache.james.rrt.lib.Mapping;
import org.apache.james.rrt.lib.MappingSource;
import org.apache.james.user.api.model.User;
import org.apache.james.mailbox.model.QuotaRoot;
import org.apache.james.mailbox.quota.MaxQuotaManager;
import org.apache.james.mailbox.quota.QuotaManager;
import org.apache.james.mailbox.quota.UserQuotaRootResolver;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.api.UsersRepositoryException;
import org.essaim.config.EssaimProperties;
import org.essaim.delivery.DurableCommits;
import org.essaim.delivery.MailboxDelivery;
import org.essaim.delivery.StoredPlaintextEncryptor;
import org.essaim.delivery.lists.MailingLists;
import org.essaim.delivery.lists.OutgoingCopies;
import org.springframework.stereotype.Service;

import com.google.inject.Key;
import com.google.inject.TypeLiteral;

/**
 * The one door from the rest of Essaim into James: accounts, domains, passwords, and the endpoints the
 * webmail connects to. Nothing outside {@code mailserver} and {@code delivery} imports James.
 * Addresses are full e-mail addresses (virtual hosting), compared case-insensitively.
 */
@Service
public class MailServerBridge {

    /** Folders every new account starts with, besides INBOX. */
    public static final List<String> STANDARD_FOLDERS = List.of("Drafts", "Sent", "Archive", "Spam", "Trash");

    private final EmbeddedJames james;
    private final EssaimProperties settings;

    public MailServerBridge(EmbeddedJames james, EssaimProperties settings) {
        this.james = james;
        this.settings = settings;
    }

    /**
     * The account the mail server created at this start before its ports opened (the bootstrap admin on a server
     * that had none), now given its standard folders; empty when there was none to create.
     */
    public Optional<String> finishAccountCreatedAtStart() {
        Optional<String> created = james.accountCreatedAtStart();
        created.ifPresent(address -> createStandardFolders(username(address)));
        return created;
    }

    /**
     * Gives an existing account the standard folders it lacks: the bootstrap admin left unfinished by an earlier
     * start that failed after James created it (setup/FirstRunSetup).
     */
    public void finishAccount(String address) {
        createStandardFolders(username(address));
    }

    public boolean hasAnyAccount() {
        try {
            return users().countUsers() > 0;
        } catch (UsersRepositoryException e) {
            throw new MailServerException("Cannot count accounts", e);
        }
    }

    public boolean accountExists(String address) {
        try {
            return users().contains(username(address));
        } catch (UsersRepositoryException | IllegalArgumentException e) {
            return false;
        }
    }

    /** True when the password is right for an existing account; never throws on bad input. */
    public boolean verifyPassword(String address, String password) {
        if (address == null || password == null || password.isEmpty()) {
            return false;
        }
        try {
            return users().test(username(address), password);
        } catch (UsersRepositoryException | IllegalArgumentException e) {
            return false;
        }
    }

    public List<String> accounts() {
        try {
            List<String> addresses = new ArrayList<>();
            Iterator<Username> all = users().list();
            all.forEachRemaining(user -> addresses.add(user.asString()));
            addresses.sort(String::compareTo);
            return addresses;
        } catch (UsersRepositoryException e) {
            throw new MailServerException("Cannot list accounts", e);
        }
    }

    public List<String> domains() {
        try {
            return james.service(DomainList.class).getDomains().stream().map(Domain::asString).sorted().toList();
        } catch (DomainListException e) {
            throw new MailServerException("Cannot list domains", e);
        }
    }

    public void addDomain(String domain) {
        try {
            DomainList domains = james.service(DomainList.class);
            Domain candidate = Domain.of(domain);
            if (!domains.containsDomain(candidate)) {
                domains.addDomain(candidate);
            }
        } catch (DomainListException e) {
            throw new MailServerException("Cannot add domain " + domain, e);
        }
    }

    /**
     * Creates an account (and its domain when new) with INBOX and the standard folders.
     * The password is hashed by James' users repository (PBKDF2-SHA512); it is not kept anywhere else.
     */
    public void createAccount(String address, String password) {
        Username username = username(address);
        username.getDomainPart().ifPresent(domain -> addDomain(domain.asString()));
        try {
            users().addUser(username, password);
        } catch (UsersRepositoryException e) {
            throw new MailServerException("Cannot create account " + address + ": " + e.getMessage(), e);
        }
        createStandardFolders(username);
    }

    /**
     * Encrypts, in every folder of the account, the messages stored in clear, to the owner's published key
     * (nothing happens while there is no key). Returns how many messages were encrypted.
     */
    public int encryptStoredPlaintext(String address) {
        try {
            int encrypted = james.service(StoredPlaintextEncryptor.class).encryptStoredPlaintext(new MailAddress(address));
            if (encrypted > 0) {
                james.compactStorageOnStop(); // the plaintext's freed pages stay in the file until then
            }
            return encrypted;
        } catch (MailboxException | AddressException e) {
            throw new MailServerException("Cannot encrypt the stored mail of " + address, e);
        }
    }

    /**
     * Puts a message (a server notice) into an account's INBOX, as new. Like any appended message it is stored
     * encrypted to the account's key when the account has one.
     */
    public void appendToInbox(String address, byte[] message) {
        Username username = username(address);
        MailboxManager mailboxes = james.service(MailboxManager.class);
        MailboxSession session = mailboxes.createSystemSession(username);
        try {
            mailboxes.getMailbox(MailboxPath.inbox(username), session)
                    .appendMessage(org.apache.james.mailbox.MessageManager.AppendCommand.builder().recent().build(message), session);
        } catch (MailboxException e) {
            throw new MailServerException("Cannot deliver a notice to " + address, e);
        } finally {
            mailboxes.endProcessingRequest(session);
        }
    }

    /**
     * Puts a message into an account's INBOX as new mail, with the time it first arrived (e.g. on a standby).
     */
    public void appendToInbox(String address, byte[] message, java.util.Date internalDate) {
        Username username = username(address);
        MailboxManager mailboxes = james.service(MailboxManager.class);
        MailboxSession session = mailboxes.createSystemSession(username);
        try {
            mailboxes.getMailbox(MailboxPath.inbox(username), session).appendMessage(
                    org.apache.james.mailbox.MessageManager.AppendCommand.builder()
                            .withInternalDate(internalDate).recent().build(message), session);
        } catch (MailboxException e) {
            throw new MailServerException("Cannot deliver to " + address + ": " + e.getMessage(), e);
        } finally {
            mailboxes.endProcessingRequest(session);
        }
    }

    /** A message of a folder, as stored. */
    public record StoredMessage(long uidValidity, long uid, java.util.Date internalDate, byte[] content) { }

    /** Up to {@code max} messages of one of the account's folders, oldest first. */
    public List<StoredMessage> folderMessages(String address, String folder, int max) {
        Username username = username(address);
        MailboxManager mailboxes = james.service(MailboxManager.class);
        MailboxSession session = mailboxes.createSystemSession(username);
        try {
            org.apache.james.mailbox.MessageManager inbox = mailboxes.getMailbox(pathOf(username, folder), session);
            long uidValidity = inbox.getMailboxEntity().getUidValidity().asLong();
            List<StoredMessage> messages = new ArrayList<>();
            Iterator<org.apache.james.mailbox.model.MessageResult> results = inbox.getMessages(
                    org.apache.james.mailbox.model.MessageRange.all(),
                    org.apache.james.mailbox.model.FetchGroup.FULL_CONTENT, session);
            while (results.hasNext() && messages.size() < max) {
                org.apache.james.mailbox.model.MessageResult result = results.next();
                try (java.io.InputStream content = result.getFullContent().getInputStream()) {
                    messages.add(new StoredMessage(uidValidity, result.getUid().asLong(), result.getInternalDate(),
                            content.readAllBytes()));
                } catch (java.io.IOException e) {
                    throw new MailServerException("Cannot read a message of " + address, e);
                }
            }
            return messages;
        } catch (MailboxException e) {
            throw new MailServerException("Cannot read the folder " + folder + " of " + address, e);
        } finally {
            mailboxes.endProcessingRequest(session);
        }
    }

    /** Deletes messages from one of the account's folders (expunged at once). */
    public void deleteFromFolder(String address, String folder, List<Long> uids) {
        Username username = username(address);
        MailboxManager mailboxes = james.service(MailboxManager.class);
        MailboxSession session = mailboxes.createSystemSession(username);
        try {
            mailboxes.getMailbox(pathOf(username, folder), session).delete(
                    uids.stream().map(org.apache.james.mailbox.MessageUid::of).toList(), session);
        } catch (MailboxException e) {
            throw new MailServerException("Cannot delete from the folder " + folder + " of " + address, e);
        } finally {
            mailboxes.endProcessingRequest(session);
        }
    }

    private static MailboxPath pathOf(Username username, String folder) {
        return folder.equalsIgnoreCase("INBOX") ? MailboxPath.inbox(username) : MailboxPath.forUser(username, folder);
    }

    /** Storage used and allowed for one account. */
    public StorageUsage storageUsage(String address) {
        Username username = username(address);
        try {
            QuotaRoot root = james.service(UserQuotaRootResolver.class).forUser(username);
            QuotaManager.Quotas quotas = james.service(QuotaManager.class).getQuotas(root);
            QuotaSizeLimit limit = quotas.getStorageQuota().getLimit();
            return new StorageUsage(username.asString(),
                    quotas.getStorageQuota().getUsed().asLong(),
                    limit.isLimited() ? OptionalLong.of(limit.asLong()) : OptionalLong.empty(),
                    quotas.getMessageQuota().getUsed().asLong());
        } catch (MailboxException e) {
            throw new MailServerException("Cannot read the storage of " + address, e);
        }
    }

    /** Sets this account's own storage limit (bytes), or back to the default with an empty value. */
    public void setStorageLimit(String address, OptionalLong limitBytes) {
        Username username = username(address);
        try {
            QuotaRoot root = james.service(UserQuotaRootResolver.class).forUser(username);
            MaxQuotaManager maxQuotas = james.service(MaxQuotaManager.class);
            if (limitBytes.isPresent()) {
                maxQuotas.setMaxStorage(root, QuotaSizeLimit.size(limitBytes.getAsLong()));
            } else {
                maxQuotas.removeMaxStorage(root);
            }
        } catch (MailboxException e) {
            throw new MailServerException("Cannot set the storage limit of " + address, e);
        }
    }

    /** Changes a user's password when the current one is right; false (and nothing changed) otherwise. */
    public boolean changePassword(String address, String currentPassword, String newPassword) {
        if (!verifyPassword(address, currentPassword)) {
            return false;
        }
        try {
            User user = users().getUserByName(username(address));
            user.setPassword(newPassword);
            users().updateUser(user);
            return true;
        } catch (UsersRepositoryException e) {
            throw new MailServerException("Cannot change the password of " + address, e);
        }
    }

    /** Deletes an account with every folder and message it holds, and the aliases pointing to it. */
    public void deleteAccount(String address) {
        Username username = username(address);
        MailboxManager mailboxes = james.service(MailboxManager.class);
        MailboxSession session = mailboxes.createSystemSession(username);
        try {
            List<MailboxPath> folders = mailboxes.search(MailboxQuery.privateMailboxesBuilder(session).build(), session)
                    .map(MailboxMetaData::getPath).collectList().block();
            // children before parents
            folders.sort(Comparator.comparingInt((MailboxPath path) -> path.getName().length()).reversed());
            for (MailboxPath folder : folders) {
                mailboxes.deleteMailbox(folder, session);
            }
            for (String alias : aliasesOf(address)) {
                removeAlias(alias, address);
            }
            users().removeUser(username);
        } catch (MailboxException | UsersRepositoryException e) {
            throw new MailServerException("Cannot delete account " + address, e);
        } finally {
            mailboxes.endProcessingRequest(session);
        }
    }

    /** A second address delivering to the same mailbox; the account may also send as it. */
    public void addAlias(String alias, String address) {
        try {
            rewriteTable().addAliasMapping(MappingSource.fromUser(username(alias)), username(address).asString());
        } catch (RecipientRewriteTableException e) {
            throw new MailServerException("Cannot add alias " + alias + ": " + e.getMessage(), e);
        }
    }

    public void removeAlias(String alias, String address) {
        try {
            rewriteTable().removeAliasMapping(MappingSource.fromUser(username(alias)), username(address).asString());
        } catch (RecipientRewriteTableException e) {
            throw new MailServerException("Cannot remove alias " + alias, e);
        }
    }

    public List<String> aliasesOf(String address) {
        try {
            Mapping target = Mapping.alias(username(address).asString());
            return rewriteTable().listSources(target).map(MappingSource::asMailAddressString).sorted().toList();
        } catch (RecipientRewriteTableException e) {
            throw new MailServerException("Cannot list aliases of " + address, e);
        }
    }

    /**
     * Delivers messages the server writes itself (mailing lists: confirmations, notices, approved posts) like the
     * copies of a list post: encrypted to each local account's key, queued for other servers.
     */
    public void deliverCopies(List<MailingLists.Copy> copies) {
        try {
            james.service(OutgoingCopies.class).deliver(copies);
        } catch (javax.mail.MessagingException | RuntimeException e) {
            throw new MailServerException("Cannot deliver the server's own messages", e);
        }
    }

    /**
     * Puts a notice from the server itself (e.g. a storage warning) into an account's INBOX, as delivery would:
     * encrypted to the owner's key when there is one, durable when this returns.
     */
    public void deliverNotice(String address, byte[] message) {
        try {
            james.service(MailboxDelivery.class).deliver(new MailAddress(address), MaybeSender.nullSender(), message);
            james.service(DurableCommits.class).awaitDurable();
        } catch (MailboxException | AddressException | RuntimeException e) {
            throw new MailServerException("Cannot deliver a notice to " + address, e);
        }
    }

    /** The outbound queue of RemoteDelivery (mailetcontainer.xml): mail waiting for another server. */
    static final org.apache.james.queue.api.MailQueueName OUTGOING = org.apache.james.queue.api.MailQueueName.of("outgoing");

    /** Messages waiting: in the incoming spool queue, plus mail for other servers waiting for a (re)try. */
    public long queueSize() {
        try {
            MailQueueFactory<? extends ManageableMailQueue> queues =
                    james.service(Key.get(new TypeLiteral<MailQueueFactory<? extends ManageableMailQueue>>() { }));
            return queues.getQueue(MailQueueFactory.SPOOL).map(this::sizeOf).orElse(0L)
                    + queues.getQueue(OUTGOING).map(this::sizeOf).orElse(0L);
        } catch (RuntimeException e) {
            throw new MailServerException("Cannot read the mail queue size", e);
        }
    }

    /** Mail waiting for another server (RemoteDelivery's queue), oldest first: metadata only, for the admin view. */
    public List<org.essaim.delivery.outbound.WaitingMail> waitingMail() {
        try {
            return outgoingQueue().waiting();
        } catch (MailQueue.MailQueueException | RuntimeException e) {
            throw new MailServerException("Cannot list the mail queue", e);
        }
    }

    /**
     * Mail in the incoming spool (arrived, not yet checked, stored or handed to delivery), oldest first: metadata only,
     * for the admin view. Messages a processing thread holds right now are counted by {@link #queueCounts} but not
     * listed (the broker lists only what is not taken).
     */
    public List<org.essaim.delivery.outbound.WaitingMail> spooledMail() {
        try {
            return new org.essaim.delivery.outbound.OutgoingQueue(queues().createQueue(MailQueueFactory.SPOOL)).waiting();
        } catch (MailQueue.MailQueueException | RuntimeException e) {
            throw new MailServerException("Cannot list the spool", e);
        }
    }

    /** How many messages each queue holds, those being processed included. */
    public record QueueCounts(long spool, long outgoing) {
    }

    public QueueCounts queueCounts() {
        try {
            MailQueueFactory<? extends ManageableMailQueue> queues = queues();
            return new QueueCounts(queues.getQueue(MailQueueFactory.SPOOL).map(this::sizeOf).orElse(0L),
                    queues.getQueue(OUTGOING).map(this::sizeOf).orElse(0L));
        } catch (RuntimeException e) {
            throw new MailServerException("Cannot read the mail queue size", e);
        }
    }

    private MailQueueFactory<? extends ManageableMailQueue> queues() {
        return james.service(Key.get(new TypeLiteral<MailQueueFactory<? extends ManageableMailQueue>>() { }));
    }

    /** Tries a waiting message again now; false when it no longer waits. */
    public boolean retryWaitingMail(String name) {
        try {
            return outgoingQueue().retryNow(name);
        } catch (MailQueue.MailQueueException | RuntimeException e) {
            throw new MailServerException("Cannot retry the waiting message", e);
        }
    }

    /** Deletes a waiting message (an admin action: see AdminAction.DeleteWaitingMail); false when it no longer waits. */
    public boolean deleteWaitingMail(String name) {
        try {
            return outgoingQueue().delete(name);
        } catch (MailQueue.MailQueueException | RuntimeException e) {
            throw new MailServerException("Cannot delete the waiting message", e);
        }
    }

    private org.essaim.delivery.outbound.OutgoingQueue outgoingQueue() {
        MailQueueFactory<? extends ManageableMailQueue> queues =
                james.service(Key.get(new TypeLiteral<MailQueueFactory<? extends ManageableMailQueue>>() { }));
        return new org.essaim.delivery.outbound.OutgoingQueue(queues.createQueue(OUTGOING));
    }

    private long sizeOf(ManageableMailQueue queue) {
        try {
            return queue.getSize();
        } catch (MailQueue.MailQueueException e) {
            throw new MailServerException("Cannot read the mail queue size", e);
        }
    }

    private RecipientRewriteTable rewriteTable() {
        return james.service(RecipientRewriteTable.class);
    }

    public MailEndpoints endpoints() {
        return new MailEndpoints(webmailHost(), settings.imaps().port(), settings.submission().port(),
                james.loopbackSocketFactory());
    }

    /** The address the webmail's own IMAP and SMTP sessions connect to, and so come from (this machine). */
    public String webmailHost() {
        String bind = settings.bindAddress();
        return bind == null || bind.isBlank() || bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1" : bind;
    }

    private void createStandardFolders(Username username) {
        MailboxManager mailboxes = james.service(MailboxManager.class);
        MailboxSession session = mailboxes.createSystemSession(username);
        try {
            createIfMissing(mailboxes, MailboxPath.inbox(username), session);
            for (String folder : STANDARD_FOLDERS) {
                createIfMissing(mailboxes, MailboxPath.forUser(username, folder), session);
            }
            StandardFolderSubscriptions.subscribe(mailboxes, james.service(SubscriptionManager.class), session);
        } catch (MailboxException e) {
            throw new MailServerException("Cannot create folders of " + username.asString(), e);
        } finally {
            mailboxes.endProcessingRequest(session);
        }
    }

    private static void createIfMissing(MailboxManager mailboxes, MailboxPath path, MailboxSession session) throws MailboxException {
        if (!Boolean.TRUE.equals(reactor.core.publisher.Mono.from(mailboxes.mailboxExists(path, session)).block())) {
            try {
                mailboxes.createMailbox(path, session);
            } catch (MailboxExistsException createdMeanwhile) {
                // the first IMAP login provisions INBOX itself, and may do so while the bootstrap admin is finished
            }
        }
    }

    private UsersRepository users() {
        return james.service(UsersRepository.class);
    }

    private static Username username(String address) {
        if (address == null || !address.contains("@")) {
            throw new IllegalArgumentException("Not an e-mail address: " + address);
        }
        return Username.of(address.trim().toLowerCase(Locale.ROOT));
    }
}
