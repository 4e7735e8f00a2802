package org.essaim.governance;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * The audit log in the application's database: an append-only hash chain (see docs/audit.md). Nothing here
 * updates or deletes an entry. Appending checks that the statement names the current head, under a lock, and
 * the sequence number's primary key stops two appends at the same place even across processes.
 */
@Repository
public class AuditLog {
    private static final String COLUMNS = "seq, kind, statement, signature, signer_fingerprint, entry_hash";

    private final JdbcClient jdbc;

    public AuditLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<AuditEntry> head() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM audit_entry ORDER BY seq DESC LIMIT 1")
                .query(AuditLog::toEntry).optional();
    }

    /** The hash the next statement must name as {@code previous}. */
    public String headHash() {
        return head().map(AuditEntry::hash).orElse(Statement.NO_PREDECESSOR);
    }

    public boolean containsStatement(byte[] statement) {
        return jdbc.sql("SELECT COUNT(*) FROM audit_entry WHERE statement_hash = ?")
                .param(AuditEntry.sha256Hex(statement)).query(Long.class).single() > 0;
    }

    /**
     * Appends an entry after the current head.
     *
     * @throws IllegalStateException when the statement does not name the current head
     */
    @Transactional
    public synchronized AuditEntry append(AuditEntry.Kind kind, Statement statement, String signature,
                                          String signerFingerprint) {
        Optional<AuditEntry> head = head();
        String expected = head.map(AuditEntry::hash).orElse(Statement.NO_PREDECESSOR);
        if (!expected.equals(statement.previous())) {
            throw new IllegalStateException("The statement does not follow the log's last entry " + expected);
        }
        byte[] bytes = statement.canonicalBytes();
        AuditEntry entry = new AuditEntry(head.map(AuditEntry::seq).orElse(0L) + 1, kind, bytes, signature,
                signerFingerprint, AuditEntry.hashOf(bytes, signature));
        jdbc.sql("INSERT INTO audit_entry (" + COLUMNS + ", statement_hash) VALUES (?, ?, ?, ?, ?, ?, ?)")
                .params(entry.seq(), kind.name(), bytes, signature, signerFingerprint, entry.hash(),
                        AuditEntry.sha256Hex(bytes))
                .update();
        return entry;
    }

    /** Entries with a sequence number above {@code after}, oldest first. */
    public List<AuditEntry> page(long after, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM audit_entry WHERE seq > ? ORDER BY seq LIMIT ?")
                .params(after, limit).query(AuditLog::toEntry).list();
    }

    /** Server entries, newest first (to find the configuration last recorded). */
    public List<AuditEntry> serverEntriesNewestFirst() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM audit_entry WHERE kind = 'SERVER' ORDER BY seq DESC")
                .query(AuditLog::toEntry).list();
    }

    public void recordSignerKey(String fingerprint, String address, String armored) {
        if (signerKey(fingerprint).isEmpty()) {
            jdbc.sql("INSERT INTO audit_signer_key (fingerprint, address, armored) VALUES (?, ?, ?)")
                    .params(fingerprint, address, armored).update();
        }
    }

    public Optional<String> signerKey(String fingerprint) {
        return jdbc.sql("SELECT armored FROM audit_signer_key WHERE fingerprint = ?")
                .param(fingerprint).query(String.class).optional();
    }

    /** A refused statement, kept outside the chain. */
    public record Refusal(long id, Instant refusedAt, String account, String action, String reason, String message,
                          String statementHash) { }

    public void recordRefusal(String account, String action, String reason, String message, byte[] statement) {
        jdbc.sql("INSERT INTO audit_refusal (refused_at, account, action, reason, message, statement_hash) "
                        + "VALUES (?, ?, ?, ?, ?, ?)")
                .params(OffsetDateTime.now(ZoneOffset.UTC), account, action, reason,
                        message.length() > 2000 ? message.substring(0, 2000) : message,
                        statement == null || statement.length == 0 ? null : AuditEntry.sha256Hex(statement))
                .update();
    }

    public List<Refusal> refusals(long after, int limit) {
        return jdbc.sql("SELECT id, refused_at, account, action, reason, message, statement_hash FROM audit_refusal "
                        + "WHERE id > ? ORDER BY id LIMIT ?")
                .params(after, limit)
                .query((row, n) -> new Refusal(row.getLong("id"),
                        row.getObject("refused_at", OffsetDateTime.class).toInstant(), row.getString("account"),
                        row.getString("action"), row.getString("reason"), row.getString("message"),
                        row.getString("statement_hash")))
                .list();
    }

    static AuditEntry toEntry(ResultSet row, int rowNumber) throws SQLException {
        return new AuditEntry(row.getLong("seq"), AuditEntry.Kind.valueOf(row.getString("kind")),
                row.getBytes("statement"), row.getString("signature"), row.getString("signer_fingerprint"),
                row.getString("entry_hash"));
    }
}
