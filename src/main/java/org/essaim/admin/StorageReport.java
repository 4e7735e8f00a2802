package org.essaim.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.essaim.accounts.AccountRoles;
import org.essaim.config.EssaimProperties;
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

    /** One account's line; {@code limitBytes} is null when unlimited, {@code lastLogin} null when never. */
    public record AccountStorage(String address, long usedBytes, Long limitBytes, long messageCount,
                                 boolean admin, boolean disabled, LocalDate lastLogin) { }

    private final MailServerBridge mailServer;
    private final AccountRoles roles;
    private final DisabledAccountStore disabledAccounts;
    private final LastLogins lastLogins;
    private final Path dataDir;

    public StorageReport(MailServerBridge mailServer, AccountRoles roles, DisabledAccountStore disabledAccounts,
                         LastLogins lastLogins, EssaimProperties settings) {
        this.mailServer = mailServer;
        this.roles = roles;
        this.disabledAccounts = disabledAccounts;
        this.lastLogins = lastLogins;
        this.dataDir = settings.absoluteDataDir();
    }

    public Overview overview() {
        Map<String, LocalDate> logins = lastLogins.all();
        List<String> admins = roles.admins();
        List<AccountStorage> accounts = mailServer.accounts().stream()
                .map(address -> accountStorage(mailServer.storageUsage(address), admins.contains(address), logins.get(address)))
                .toList();
        return new Overview(disk(), mailServer.queueSize(), accounts);
    }

    private AccountStorage accountStorage(StorageUsage usage, boolean admin, LocalDate lastLogin) {
        Long limit = usage.limitBytes().isPresent() ? usage.limitBytes().getAsLong() : null;
        return new AccountStorage(usage.address(), usage.usedBytes(), limit, usage.messageCount(), admin,
                disabledAccounts.isDisabled(usage.address()), lastLogin);
    }

    private Disk disk() {
        try {
            FileStore store = Files.getFileStore(dataDir);
            return new Disk(store.getTotalSpace(), store.getUsableSpace());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the disk of " + dataDir, e);
        }
    }
}
