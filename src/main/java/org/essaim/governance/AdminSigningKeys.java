package org.essaim.governance;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.essaim.keys.StoredKey;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Governance's own record of each admin's signing key (docs/audit.md, "Admin signing keys"): the pinned
 * certificate that admin statements are verified against, whatever the key directory publishes meanwhile.
 * Only storage here; {@link SigningKeyPins} decides when a pin is set or moves.
 */
@Repository
class AdminSigningKeys {
    private final JdbcClient jdbc;

    AdminSigningKeys(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * @param fingerprint          the pinned primary key fingerprint
     * @param binary               the pinned certificate
     * @param publishedFingerprint the directory's key last seen for this admin
     */
    record Pin(String address, String fingerprint, String armored, byte[] binary, String publishedFingerprint) {
        static Pin of(StoredKey key) {
            return new Pin(key.address(), key.fingerprint(), key.armored(), key.binary(), key.fingerprint());
        }
    }

    Optional<Pin> pinOf(String address) {
        return jdbc.sql("SELECT address, fingerprint, armored, key_bytes, published_fingerprint FROM admin_signing_key "
                        + "WHERE address = ?")
                .param(address).query(AdminSigningKeys::toPin).optional();
    }

    /** Makes {@code key} the address's signing key (a first pin or a move), and the directory's key last seen. */
    void pin(StoredKey key) {
        Object now = Instant.now().truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC);
        int updated = jdbc.sql("UPDATE admin_signing_key SET fingerprint = ?, armored = ?, key_bytes = ?, "
                        + "published_fingerprint = ?, pinned_at = ? WHERE address = ?")
                .params(key.fingerprint(), key.armored(), key.binary(), key.fingerprint(), now, key.address()).update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO admin_signing_key (address, fingerprint, armored, key_bytes, published_fingerprint, "
                            + "pinned_at) VALUES (?, ?, ?, ?, ?, ?)")
                    .params(key.address(), key.fingerprint(), key.armored(), key.binary(), key.fingerprint(), now)
                    .update();
        }
        jdbc.sql("DELETE FROM admin_key_confirmation WHERE address = ?").param(key.address()).update();
    }

    /**
     * The same key republished (new expiry, new subkey: all bound by the pinned primary key, which the
     * directory's validation checked), so the pinned copy follows it.
     */
    void refresh(StoredKey sameKey) {
        jdbc.sql("UPDATE admin_signing_key SET armored = ?, key_bytes = ? WHERE address = ? AND fingerprint = ?")
                .params(sameKey.armored(), sameKey.binary(), sameKey.address(), sameKey.fingerprint()).update();
    }

    void seen(String address, String publishedFingerprint) {
        jdbc.sql("UPDATE admin_signing_key SET published_fingerprint = ? WHERE address = ?")
                .params(publishedFingerprint, address).update();
    }

    void forget(String address) {
        jdbc.sql("DELETE FROM admin_key_confirmation WHERE address = ?").param(address).update();
        jdbc.sql("DELETE FROM admin_signing_key WHERE address = ?").param(address).update();
    }

    void confirm(String address, String fingerprint, String admin) {
        if (confirmers(address, fingerprint).contains(admin)) {
            return;
        }
        jdbc.sql("INSERT INTO admin_key_confirmation (address, fingerprint, admin) VALUES (?, ?, ?)")
                .params(address, fingerprint, admin).update();
    }

    Set<String> confirmers(String address, String fingerprint) {
        return new TreeSet<>(jdbc.sql("SELECT admin FROM admin_key_confirmation WHERE address = ? AND fingerprint = ?")
                .params(address, fingerprint).query(String.class).list());
    }

    private static Pin toPin(ResultSet row, int n) throws SQLException {
        return new Pin(row.getString("address"), row.getString("fingerprint"), row.getString("armored"),
                row.getBytes("key_bytes"), row.getString("published_fingerprint"));
    }
}
