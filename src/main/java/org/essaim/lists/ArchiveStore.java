package org.essaim.lists;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.essaim.config.EssaimProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Component;

/**
 * The lists' archives, as files under {@code <data-dir>/lists/<list address>/archive/<yyyy-MM>/}: {@code <id>.eml}
 * for a public list's post (the one plaintext Essaim keeps: it is public), {@code <id>.eml.asc} for a members-only
 * list's post, encrypted to the members' keys. A public month also has {@code search.txt}, the posts' words for
 * full-text search (one line per post). The database holds only ids, dates and how posts thread
 * (table mailing_list_post), never a word of a post.
 */
@Component
public class ArchiveStore {
    static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyy-MM").withZone(ZoneOffset.UTC);

    private final Path root;
    private final JdbcClient jdbc;

    public ArchiveStore(EssaimProperties properties, JdbcClient jdbc) {
        this.root = properties.absoluteDataDir().resolve("lists");
        this.jdbc = jdbc;
    }

    /** One archived post's place and thread. */
    public record Entry(long id, String list, Instant postedAt, String month, String messageId,
                        Optional<Long> parentId, long threadId, boolean encrypted) { }

    /** The directory of one list (its archive and held posts). */
    Path listDirectory(String list) {
        String safe = ListDirectory.normalized(list);
        if (!safe.matches("[a-z0-9._+-]+@[a-z0-9.-]+")) {
            throw new IllegalArgumentException("Not a list address");
        }
        return root.resolve(safe);
    }

    /**
     * Archives a post: the bytes as given (plaintext for a public list, an armored ciphertext otherwise), threaded
     * by In-Reply-To and References among the list's earlier posts.
     *
     * @param searchText the post's words (public lists only; empty otherwise)
     */
    public synchronized Entry archive(String list, byte[] bytes, boolean encrypted, String messageId,
                                      List<String> parents, String searchText) {
        Instant now = Instant.now();
        String month = MONTH.format(now);
        Optional<Long> parentId = Optional.empty();
        long threadId = 0;
        for (String parent : parents) {
            Optional<Entry> found = byMessageId(list, parent);
            if (found.isPresent()) {
                parentId = Optional.of(found.get().id());
                threadId = found.get().threadId();
                break;
            }
        }
        KeyHolder key = new GeneratedKeyHolder();
        jdbc.sql("INSERT INTO mailing_list_post (list_address, posted_at, posted_month, message_id, parent_id, thread_id, encrypted) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?)")
                .params(list, Timestamp.from(now), month, messageId, parentId.orElse(null), threadId == 0 ? null : threadId,
                        encrypted)
                .update(key, "id");
        long id = key.getKey().longValue();
        if (threadId == 0) {
            threadId = id;
            jdbc.sql("UPDATE mailing_list_post SET thread_id = ? WHERE id = ?").params(id, id).update();
        }
        Path directory = listDirectory(list).resolve("archive").resolve(month);
        try {
            Files.createDirectories(directory);
            Files.write(directory.resolve(fileName(id, encrypted)), bytes);
            if (!encrypted && !searchText.isEmpty()) {
                Files.writeString(directory.resolve("search.txt"),
                        id + "\t" + searchText.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").strip() + "\n",
                        StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the archive", e);
        }
        return new Entry(id, list, now, month, messageId, parentId, threadId, encrypted);
    }

    private static String fileName(long id, boolean encrypted) {
        return id + (encrypted ? ".eml.asc" : ".eml");
    }

    public Optional<Entry> byMessageId(String list, String messageId) {
        return jdbc.sql(SELECT + " WHERE list_address = ? AND message_id = ? ORDER BY id FETCH FIRST 1 ROWS ONLY")
                .params(list, messageId).query(this::entry).optional();
    }

    public Optional<Entry> entry(String list, long id) {
        return jdbc.sql(SELECT + " WHERE list_address = ? AND id = ?").params(list, id).query(this::entry).optional();
    }

    /** The months that hold posts, newest first. */
    public List<String> months(String list) {
        return jdbc.sql("SELECT DISTINCT posted_month FROM mailing_list_post WHERE list_address = ? ORDER BY posted_month DESC")
                .param(list).query(String.class).list();
    }

    /** A month's posts, oldest first. */
    public List<Entry> month(String list, String month) {
        return jdbc.sql(SELECT + " WHERE list_address = ? AND posted_month = ? ORDER BY id").params(list, month).query(this::entry).list();
    }

    public List<Entry> latest(String list, int count) {
        return jdbc.sql(SELECT + " WHERE list_address = ? ORDER BY id DESC FETCH FIRST " + count + " ROWS ONLY")
                .param(list).query(this::entry).list();
    }

    public int count(String list) {
        return jdbc.sql("SELECT COUNT(*) FROM mailing_list_post WHERE list_address = ?").param(list).query(Integer.class).single();
    }

    public byte[] bytes(Entry entry) {
        try {
            return Files.readAllBytes(listDirectory(entry.list()).resolve("archive").resolve(entry.month())
                    .resolve(fileName(entry.id(), entry.encrypted())));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the archive", e);
        }
    }

    /** Ids of a public list's posts whose words contain every term of the query, newest first. */
    public List<Long> search(String list, String query, int limit) {
        List<String> terms = List.of(query.toLowerCase(Locale.ROOT).strip().split("\\s+")).stream()
                .filter(t -> !t.isBlank()).toList();
        List<Long> hits = new ArrayList<>();
        if (terms.isEmpty()) {
            return hits;
        }
        Path archive = listDirectory(list).resolve("archive");
        for (String month : months(list)) {
            Path file = archive.resolve(month).resolve("search.txt");
            if (!Files.exists(file)) {
                continue;
            }
            List<Long> inMonth = new ArrayList<>();
            try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    int tab = line.indexOf('\t');
                    if (tab > 0 && containsAll(line, tab + 1, terms)) {
                        inMonth.add(Long.parseLong(line.substring(0, tab)));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot search the archive", e);
            }
            for (int i = inMonth.size() - 1; i >= 0 && hits.size() < limit; i--) {
                hits.add(inMonth.get(i));
            }
            if (hits.size() >= limit) {
                break;
            }
        }
        return hits;
    }

    private static boolean containsAll(String line, int from, List<String> terms) {
        for (String term : terms) {
            if (line.indexOf(term, from) < 0) {
                return false;
            }
        }
        return true;
    }

    /** A month of a public list as an mbox (mboxrd: "From " lines in posts are quoted). */
    public void writeMbox(String list, String month, OutputStream out) throws IOException {
        for (Entry entry : month(list, month)) {
            if (entry.encrypted()) {
                continue;
            }
            String envelope = "From " + list + " " + DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", Locale.ROOT)
                    .withZone(ZoneOffset.UTC).format(entry.postedAt()) + "\n";
            out.write(envelope.getBytes(StandardCharsets.US_ASCII));
            String text = new String(bytes(entry), StandardCharsets.ISO_8859_1).replace("\r\n", "\n");
            for (String line : text.split("\n", -1)) {
                if (line.matches(">*From .*")) {
                    out.write('>');
                }
                out.write(line.getBytes(StandardCharsets.ISO_8859_1));
                out.write('\n');
            }
            out.write('\n');
        }
    }

    private static final String SELECT = "SELECT id, list_address, posted_at, posted_month, message_id, parent_id, thread_id, encrypted "
            + "FROM mailing_list_post";

    private Entry entry(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        long parent = rs.getLong(6);
        Optional<Long> parentId = rs.wasNull() ? Optional.empty() : Optional.of(parent);
        return new Entry(rs.getLong(1), rs.getString(2), rs.getTimestamp(3).toInstant(), rs.getString(4),
                rs.getString(5), parentId, rs.getLong(7), rs.getBoolean(8));
    }

    /** Held posts of a public list wait here, in clear like the archive they are meant for. */
    Path heldFile(String list, long id) {
        return listDirectory(list).resolve("held").resolve(id + ".eml");
    }

    void writeHeld(String list, long id, byte[] bytes) {
        try {
            Files.createDirectories(heldFile(list, id).getParent());
            Files.write(heldFile(list, id), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot keep the held post", e);
        }
    }

    byte[] readHeld(String list, long id) {
        try {
            return Files.readAllBytes(heldFile(list, id));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the held post", e);
        }
    }

    void deleteHeld(String list, long id) {
        try {
            Files.deleteIfExists(heldFile(list, id));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete the held post", e);
        }
    }

    /** Removes a list's files (its archive and held posts) when the list is deleted. */
    void deleteAll(String list) {
        Path directory = listDirectory(list);
        if (!Files.exists(directory)) {
            return;
        }
        try (var walk = Files.walk(directory)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete the list's files", e);
        }
    }
}
