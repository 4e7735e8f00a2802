package org.essaim.spam;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The server-side classifier's token table: the shipped default model (or the admin's own, {@code essaim.spam.model})
 * plus what was learned since, which is kept in the database. It learns only from an admin's corpus and from spam a
 * member chose to share; never from stored mail (which is ciphertext anyway), never ham from members.
 */
@Component
public class ServerModel {
    private static final Logger LOGGER = LoggerFactory.getLogger(ServerModel.class);
    /** Trained from the SpamAssassin public corpus (docs/spam.md says how, and how to retrain). */
    static final String BUNDLED = "/spam/default-model.tsv.gz";

    private final JdbcClient jdbc;
    private final TokenTable table;
    private final String source;

    public ServerModel(SpamSettings settings, JdbcClient jdbc) {
        this.jdbc = jdbc;
        long begin = System.nanoTime();
        try {
            if (settings.model() != null) {
                try (InputStream in = Files.newInputStream(settings.model())) {
                    table = TokenTable.read(in);
                }
                source = settings.model().toString();
            } else {
                try (InputStream in = ServerModel.class.getResourceAsStream(BUNDLED)) {
                    table = in == null ? new TokenTable() : TokenTable.read(in);
                }
                source = "bundled default model";
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the spam model", e);
        }
        table.add(learned());
        LOGGER.info("Spam model: {} ({} tokens, {} spam and {} ham messages) in {} ms", source, table.size(),
                table.spamMessages(), table.hamMessages(), (System.nanoTime() - begin) / 1_000_000);
    }

    TokenTable table() {
        return table;
    }

    public String source() {
        return source;
    }

    private TokenTable learned() {
        TokenTable learned = new TokenTable();
        jdbc.sql("SELECT token, spam_count, ham_count FROM spam_learned_token").query((rs, row) -> {
            learned.put(rs.getString(1), rs.getInt(2), rs.getInt(3));
            return null;
        }).list();
        jdbc.sql("SELECT kind, messages FROM spam_learned_total").query((rs, row) -> {
            learned.addMessages("spam".equals(rs.getString(1)) ? rs.getInt(2) : 0, "ham".equals(rs.getString(1)) ? rs.getInt(2) : 0);
            return null;
        }).list();
        return learned;
    }

    /** Learns one spam message a member shared (decrypted in their browser, sent with their consent). */
    @Transactional
    public void learnSharedSpam(byte[] message) {
        learn(Tokenizer.tokens(MessageText.parse(message)), true);
    }

    @Transactional
    public void learn(Set<String> tokens, boolean spam) {
        for (String token : tokens) {
            if (token.length() > 200) {
                continue;
            }
            int updated = jdbc.sql("UPDATE spam_learned_token SET spam_count = spam_count + ?, ham_count = ham_count + ? WHERE token = ?")
                    .params(spam ? 1 : 0, spam ? 0 : 1, token).update();
            if (updated == 0) {
                jdbc.sql("INSERT INTO spam_learned_token (token, spam_count, ham_count) VALUES (?, ?, ?)")
                        .params(token, spam ? 1 : 0, spam ? 0 : 1).update();
            }
        }
        String kind = spam ? "spam" : "ham";
        if (jdbc.sql("UPDATE spam_learned_total SET messages = messages + 1 WHERE kind = ?").param(kind).update() == 0) {
            jdbc.sql("INSERT INTO spam_learned_total (kind, messages) VALUES (?, 1)").param(kind).update();
        }
        table.learn(tokens, spam);
    }

    /** How many spam messages taught the server a token since the shipped model (0 when none did). */
    public int learnedSpamCount(String token) {
        return jdbc.sql("SELECT spam_count FROM spam_learned_token WHERE token = ?").param(token).query(Integer.class)
                .optional().orElse(0);
    }

    /** How many token rows were learned since the shipped model (the admin view shows it; tests watch it). */
    public long learnedTokens() {
        return jdbc.sql("SELECT COUNT(*) FROM spam_learned_token").query(Long.class).single();
    }
}
