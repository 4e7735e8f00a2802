package org.essaim.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.essaim.accounts.AccountRoles;
import org.essaim.config.EssaimProperties;
import org.essaim.keys.PublicKeyDirectory;
import org.essaim.mailserver.MailServerBridge;
import org.essaim.mailserver.StorageUsage;
import org.springframework.stereotype.Service;

/**
 * What admins see of the server: disk, queue, and each account's storage, never content. The same figures
 * feed the storage view and {@code GET /api/admin/storage}.
 */
@Service
public class StorageReport {

    public record Overview(Disk disk, long queueSize, List<AccountStorage> accounts) {
        public long usedByAccounts() {
            return accounts.stream().mapToLong(AccountStorage::usedBytes).sum();
        }
    }

    public record Disk(long totalBytes, long freeBytes) {
        public long usedBytes() {
            return totalBytes - freeBytes;
        }
    }

    /**
     * One account's line; {@code limitBytes} is null when unlimited, {@code lastLogin} null when never;
     * {@code keyPublished}: the key directory holds a public key for the address.
     */
    public record AccountStorage(String address, long usedBytes, Long limitBytes, long messageCount,
                                 boolean admin, boolean disabled, LocalDate lastLogin, boolean keyPublished) {

        /** Share of the limit in use (0 when unlimited); may exceed 1 when a limit was lowered below the usage. */
        public double ratio() {
            return limitBytes == null || limitBytes <= 0 ? 0 : (double) usedBytes / limitBytes;
        }
    }

    private final MailServerBridge mailServer;
    private final AccountRoles roles;
    private final DisabledAccountStore disabledAccounts;
    private final LastLogins lastLogins;
    private final PublicKeyDirectory keys;
    private final Path dataDir;

    public StorageReport(MailServerBridge mailServer, AccountRoles roles, DisabledAccountStore disabledAccounts,
                         LastLogins lastLogins, PublicKeyDirectory keys, EssaimProperties settings) {
        this.mailServer = mailServer;
        this.roles = roles;
        this.disabledAccounts = disabledAccounts;
        this.lastLogins = lastLogins;
        this.keys = keys;
        this.dataDir = settings.absoluteDataDir();
    }

    public Overview overview() {
        // The application's own facts in one query each; James is asked once per account (its quota counters).
        Map<String, LocalDate> logins = lastLogins.all();
        Set<String> admins = new HashSet<>(roles.admins());
        Set<String> disabled = disabledAccounts.all();
        Set<String> withKeys = keys.publishedAddresses();
        List<AccountStorage> accounts = mailServer.accounts().stream()
                .map(mailServer::storageUsage)
                .map(usage -> accountStorage(usage, admins.contains(usage.address()), disabled.contains(usage.address()),
                        logins.get(usage.address()), withKeys.contains(usage.address())))
                .toList();
        return new Overview(disk(), mailServer.queueSize(), accounts);
    }

    private static AccountStorage accountStorage(StorageUsage usage, boolean admin, boolean disabled, LocalDate lastLogin,
                                                 boolean keyPublished) {
        Long limit = usage.limitBytes().isPresent() ? usage.limitBytes().getAsLong() : null;
        return new AccountStorage(usage.address(), usage.usedBytes(), limit, usage.messageCount(), admin, disabled,
                lastLogin, keyPublished);
    }

    /** The disk holding the data directory (mail, databases, queue). */
    public Disk disk() {
        try {
            FileStore store = Files.getFileStore(dataDir);
            return new Disk(store.getTotalSpace(), store.getUsableSpace());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the disk of " + dataDir, e);
        }
    }
}
