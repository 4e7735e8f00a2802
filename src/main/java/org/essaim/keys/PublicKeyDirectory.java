package org.essaim.keys;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.essaim.crypto.InvalidPublicKeyException;
import org.essaim.crypto.PublicKeyValidator;
import org.essaim.crypto.ValidatedCertificate;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The accounts' current public keys, in the application's database. Everything that publishes or uses a
 * recipient's key (the API, WKD, HKP, encryption at delivery) goes through here.
 *
 * <p>Addresses are compared case-insensitively (stored lower-case). A key is stored only after
 * {@link PublicKeyValidator} accepted it for that address; a rejected upload leaves the current key alone.
 */
@Service
public class PublicKeyDirectory {
    private static final String COLUMNS = "address, fingerprint, armored, key_bytes, uploaded_at";

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;
    private final PublicKeyValidator validator = new PublicKeyValidator();

    public PublicKeyDirectory(JdbcClient jdbc, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    public Optional<StoredKey> find(String address) {
        if (address == null || address.isBlank()) {
            return Optional.empty();
        }
        return jdbc.sql("SELECT " + COLUMNS + " FROM public_key WHERE address = ?")
                .param(normalize(address))
                .query(PublicKeyDirectory::toStoredKey)
                .optional();
    }

    /**
     * Validates {@code uploaded} (armored or binary) for {@code address} and makes it the address's key.
     *
     * @throws KeyRejectedException with a message for the key's owner; nothing is stored then
     */
    @Transactional
    public StoredKey publish(String address, byte[] uploaded) {
        String normalized = normalize(address);
        ValidatedCertificate certificate;
        try {
            certificate = validator.validate(uploaded, normalized);
        } catch (InvalidPublicKeyException e) {
            throw new KeyRejectedException(e);
        }
        // Microseconds: what every SQL timestamp keeps, so the returned value equals what find() reads back.
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        StoredKey key = new StoredKey(normalized, certificate.fingerprint(), certificate.armored(),
                certificate.binary(), now);
        if (!update(key)) {
            try {
                jdbc.sql("INSERT INTO public_key (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?)")
                        .params(key.address(), key.fingerprint(), key.armored(), key.binary(), utc(now))
                        .update();
            } catch (DuplicateKeyException concurrentFirstUpload) {
                update(key);
            }
        }
        events.publishEvent(new KeyPublished(key.address()));
        return key;
    }

    /** Every address that has a published key: one query for lists of many accounts. */
    public Set<String> publishedAddresses() {
        return new HashSet<>(jdbc.sql("SELECT address FROM public_key").query(String.class).list());
    }

    /** Stops publishing the address's key (the owner revoked or no longer wants it); true if there was one. */
    public boolean withdraw(String address) {
        return jdbc.sql("DELETE FROM public_key WHERE address = ?").param(normalize(address)).update() > 0;
    }

    /**
     * The key whose primary fingerprint is {@code hex} (40 hex digits) or ends with it (a 16- or 8-digit
     * key ID), as keyservers look keys up.
     */
    public List<StoredKey> findByFingerprintOrKeyId(String hex) {
        String id = hex.toUpperCase(Locale.ROOT);
        if (!id.matches("[0-9A-F]{8}|[0-9A-F]{16}|[0-9A-F]{40}|[0-9A-F]{64}")) {
            return List.of();
        }
        return jdbc.sql("SELECT " + COLUMNS + " FROM public_key WHERE fingerprint LIKE ? ORDER BY address")
                .param("%" + id)
                .query(PublicKeyDirectory::toStoredKey)
                .list();
    }

    /** The published keys of addresses in {@code domain}, for WKD requests that give only a hash. */
    public List<StoredKey> findInDomain(String domain) {
        String suffix = "@" + normalize(domain);
        return jdbc.sql("SELECT " + COLUMNS + " FROM public_key WHERE address LIKE ? ORDER BY address")
                .param("%" + suffix)
                .query(PublicKeyDirectory::toStoredKey)
                .stream()
                .filter(key -> key.address().endsWith(suffix)) // LIKE would also let '_' match any character
                .toList();
    }

    private boolean update(StoredKey key) {
        return jdbc.sql("UPDATE public_key SET fingerprint = ?, armored = ?, key_bytes = ?, uploaded_at = ? "
                        + "WHERE address = ?")
                .params(key.fingerprint(), key.armored(), key.binary(), utc(key.uploadedAt()), key.address())
                .update() > 0;
    }

    private static StoredKey toStoredKey(ResultSet row, int rowNumber) throws SQLException {
        return new StoredKey(
                row.getString("address"),
                row.getString("fingerprint"),
                row.getString("armored"),
                row.getBytes("key_bytes"),
                row.getObject("uploaded_at", OffsetDateTime.class).toInstant());
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    static String normalize(String address) {
        return address.trim().toLowerCase(Locale.ROOT);
    }
}
