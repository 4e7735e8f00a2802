package org.essaim.mailserver;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

import org.apache.james.core.Domain;
import org.apache.james.core.Username;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.core.quota.QuotaSizeLimit;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.QuotaRoot;
import org.apache.james.mailbox.quota.MaxQuotaManager;
import org.apache.james.mailbox.quota.QuotaManager;
import org.apache.james.mailbox.quota.UserQuotaRootResolver;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.api.UsersRepositoryException;
import org.essaim.config.EssaimProperties;
import org.springframework.stereotype.Service;

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

    public MailEndpoints endpoints() {
        String bind = settings.bindAddress();
        String host = bind == null || bind.isBlank() || bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1" : bind;
        return new MailEndpoints(host, settings.imaps().port(), settings.submission().port(), james.loopbackSocketFactory());
    }

    private void createStandardFolders(Username username) {
        MailboxManager mailboxes = james.service(MailboxManager.class);
        MailboxSession session = mailboxes.createSystemSession(username);
        try {
            createIfMissing(mailboxes, MailboxPath.inbox(username), session);
            for (String folder : STANDARD_FOLDERS) {
                createIfMissing(mailboxes, MailboxPath.forUser(username, folder), session);
            }
        } catch (MailboxException e) {
            throw new MailServerException("Cannot create folders of " + username.asString(), e);
        } finally {
            mailboxes.endProcessingRequest(session);
        }
    }

    private static void createIfMissing(MailboxManager mailboxes, MailboxPath path, MailboxSession session) throws MailboxException {
        if (!Boolean.TRUE.equals(reactor.core.publisher.Mono.from(mailboxes.mailboxExists(path, session)).block())) {
            mailboxes.createMailbox(path, session);
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
