package org.essaim.spam;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * How often each token was seen in spam and in ham, and how many messages of each kind were counted: all the
 * classifier knows. Reads are lock-free (delivery threads classify concurrently); learning takes the table's lock.
 * Stored as gzipped text: a header line {@code #essaim-spam-model 1 <spam messages> <ham messages>}, then one
 * {@code token TAB spam TAB ham} line per token.
 */
public final class TokenTable {
    private static final String MAGIC = "#essaim-spam-model 1";

    /** Spam count, ham count. */
    record Counts(int spam, int ham) {
        Counts plus(int moreSpam, int moreHam) {
            return new Counts(spam + moreSpam, ham + moreHam);
        }
    }

    private final Map<String, Counts> counts = new ConcurrentHashMap<>();
    private volatile int spamMessages;
    private volatile int hamMessages;

    public int spamMessages() {
        return spamMessages;
    }

    public int hamMessages() {
        return hamMessages;
    }

    public int size() {
        return counts.size();
    }

    Counts counts(String token) {
        return counts.get(token);
    }

    public synchronized void learn(Collection<String> tokens, boolean spam) {
        for (String token : tokens) {
            counts.merge(token, spam ? new Counts(1, 0) : new Counts(0, 1), (a, b) -> a.plus(b.spam, b.ham));
        }
        if (spam) {
            spamMessages++;
        } else {
            hamMessages++;
        }
    }

    synchronized void put(String token, int spam, int ham) {
        counts.put(token, new Counts(spam, ham));
    }

    synchronized void addMessages(int spam, int ham) {
        spamMessages += spam;
        hamMessages += ham;
    }

    /** Adds another table's counts to this one (the shipped model plus what was learned since). */
    public synchronized void add(TokenTable other) {
        other.counts.forEach((token, c) -> counts.merge(token, c, (a, b) -> a.plus(b.spam, b.ham)));
        spamMessages += other.spamMessages;
        hamMessages += other.hamMessages;
    }

    /** Drops tokens seen fewer than {@code minimum} times in all: they carry almost no evidence and most of the bulk. */
    public synchronized void prune(int minimum) {
        counts.values().removeIf(c -> c.spam + c.ham < minimum);
    }

    public static TokenTable read(InputStream gzipped) throws IOException {
        TokenTable table = new TokenTable();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(gzipped), StandardCharsets.UTF_8))) {
            String header = in.readLine();
            if (header == null || !header.startsWith(MAGIC + " ")) {
                throw new IOException("Not an Essaim spam model");
            }
            String[] totals = header.substring(MAGIC.length() + 1).split(" ");
            table.spamMessages = Integer.parseInt(totals[0]);
            table.hamMessages = Integer.parseInt(totals[1]);
            String line;
            while ((line = in.readLine()) != null) {
                int first = line.indexOf('\t');
                int second = line.indexOf('\t', first + 1);
                if (first <= 0 || second < 0) {
                    throw new IOException("Broken line in the spam model");
                }
                table.counts.put(line.substring(0, first), new Counts(Integer.parseInt(line.substring(first + 1, second)),
                        Integer.parseInt(line.substring(second + 1))));
            }
        } catch (NumberFormatException e) {
            throw new IOException("Broken number in the spam model", e);
        }
        return table;
    }

    /** Writes the table sorted by token, so the same corpus always gives the same file. */
    public synchronized void write(OutputStream out) throws IOException {
        GZIPOutputStream gzip = new GZIPOutputStream(out);
        Writer writer = new BufferedWriter(new OutputStreamWriter(gzip, StandardCharsets.UTF_8));
        writer.write(MAGIC + " " + spamMessages + " " + hamMessages + "\n");
        for (Map.Entry<String, Counts> entry : new TreeMap<>(counts).entrySet()) {
            writer.write(entry.getKey() + "\t" + entry.getValue().spam + "\t" + entry.getValue().ham + "\n");
        }
        writer.flush();
        gzip.finish();
    }
}
