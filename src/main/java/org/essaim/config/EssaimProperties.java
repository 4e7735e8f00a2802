package org.essaim.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.util.unit.DataSize;

/**
 * The operator's interface: every setting an operator may change, as Spring properties
 * (so also environment variables such as {@code ESSAIM_SMTP_PORT}). James' own XML is generated from these.
 */
@ConfigurationProperties(prefix = "essaim")
public record EssaimProperties(
        @DefaultValue("./data") Path dataDir,
        @DefaultValue("localhost") String domain,
        String hostname,
        @DefaultValue("0.0.0.0") String bindAddress,
        @DefaultValue Smtp smtp,
        @DefaultValue Submission submission,
        @DefaultValue Imap imap,
        @DefaultValue Imaps imaps,
        @DefaultValue Pop3 pop3,
        @DefaultValue Pop3s pop3s,
        @DefaultValue Tls tls,
        @DefaultValue Bootstrap bootstrap,
        @DefaultValue Quota quota,
        @DefaultValue("52428800") long maxMessageSize,
        @DefaultValue Audit audit,
        @DefaultValue Cooptation cooptation,
        @DefaultValue Backup backup,
        @DefaultValue("primary") String role,
        @DefaultValue Standby standby) {

    public record Smtp(@DefaultValue("2525") int port) { }

    public record Submission(@DefaultValue("2587") int port) { }

    public record Imap(@DefaultValue("1143") int port) { }

    public record Imaps(@DefaultValue("1993") int port) { }

    public record Pop3(@DefaultValue("1110") int port) { }

    public record Pop3s(@DefaultValue("1995") int port) { }

    /** PEM files of the operator's certificate chain and private key; a self-signed pair is generated when unset. */
    public record Tls(String certificate, String privateKey) {
        public boolean operatorProvided() {
            return certificate != null && !certificate.isBlank() && privateKey != null && !privateKey.isBlank();
        }
    }

    /** {@code essaim.quota.default}: the storage quota of accounts without one of their own (e.g. 1GB, 500MB). */
    public record Quota(@Name("default") @DefaultValue("1GB") DataSize defaultQuota) { }

    /** {@code essaim.audit.public}: whether anyone, not only members, may read the audit log at /api/audit. */
    public record Audit(@Name("public") @DefaultValue("false") boolean publicLog) { }

    /** {@code essaim.cooptation.spectator-days}: how long a proposed admin watches before promotion is possible. */
    public record Cooptation(@DefaultValue("14") int spectatorDays) { }

    /**
     * {@code essaim.backup.*}: automatic backups (docs/backups.md). {@code schedule} is a Spring cron expression in
     * the server's time zone; {@code dir} defaults to {@code <data-dir>/backups}; {@code recipients} are files of
     * extra OpenPGP public keys the backups are encrypted to besides every admin's pinned key; {@code copyTo} is a
     * plain directory each backup is copied into; {@code resticRepository} with {@code resticPasswordFile} pushes
     * each backup with restic.
     */
    public record Backup(@DefaultValue("true") boolean enabled,
                         @DefaultValue("0 30 3 * * *") String schedule,
                         Path dir,
                         @DefaultValue List<Path> recipients,
                         @DefaultValue Keep keep,
                         Path copyTo,
                         String resticRepository,
                         Path resticPasswordFile,
                         @DefaultValue("30") int windowSeconds) {

        /** How many backups are kept: the newest of each of the last {@code daily} days, weeks and months. */
        public record Keep(@DefaultValue("7") int daily, @DefaultValue("4") int weekly, @DefaultValue("6") int monthly) { }
    }

    /**
     * {@code essaim.standby.*} (docs/standby.md). {@code tokenFile} holds the secret both servers share: on the
     * primary it lets the standby in, on the standby ({@code essaim.role=standby}) it goes with each request to
     * {@code primary}, the primary's web address. Every {@code syncSeconds} the standby takes the primary's accounts,
     * aliases and public keys and hands over the mail it held. At {@code restoreSchedule} it fetches the primary's
     * latest backup and, with {@code gnupgHome} (a GnuPG home holding a key the primary's backups are encrypted to,
     * see {@code essaim.backup.recipients}), restores and checks it (warm standby).
     */
    public record Standby(String primary, Path tokenFile, Path gnupgHome,
                          @DefaultValue("60") int syncSeconds,
                          @DefaultValue("0 30 5 * * *") String restoreSchedule) { }

    public boolean isStandby() {
        return "standby".equalsIgnoreCase(role);
    }

    /** Where backups are written: {@code essaim.backup.dir}, or {@code backups} in the data directory. */
    public Path backupDir() {
        return backup.dir() != null ? backup.dir().toAbsolutePath().normalize() : absoluteDataDir().resolve("backups");
    }

    /** First-run credentials; ignored once any account exists. */
    public record Bootstrap(String adminEmail, String adminPassword) {
        public boolean isSet() {
            return adminEmail != null && !adminEmail.isBlank() && adminPassword != null && !adminPassword.isBlank();
        }
    }

    /** The SMTP greeting and certificate name; the mail domain when unset. */
    public String effectiveHostname() {
        return Optional.ofNullable(hostname).filter(h -> !h.isBlank()).orElse(domain);
    }

    public Path absoluteDataDir() {
        return dataDir.toAbsolutePath().normalize();
    }
}
