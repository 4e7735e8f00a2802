package org.essaim.config;

import java.nio.file.Path;
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
        @DefaultValue Cooptation cooptation) {

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
