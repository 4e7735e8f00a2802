package org.essaim.governance;

import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code java -jar essaim.jar audit verify --url https://mail.example.org [--user you@example.org]} or
 * {@code ... audit verify --data-dir /var/lib/essaim} (server stopped): checks the whole audit log with
 * {@link AuditChainVerifier}. No Spring: it runs before (instead of) the application.
 *
 * <p>Exit status: 0 the chain holds; 1 broken (the first broken entry is named); 2 usage; 3 could not read
 * the log. With {@code --user}, the password is read from {@code ESSAIM_PASSWORD} (for members-only logs).
 */
public final class AuditCommand {
    static final int OK = 0;
    static final int BROKEN = 1;
    static final int USAGE = 2;
    static final int UNREADABLE = 3;
    private static final int PAGE = 500;
    private static final String USAGE_TEXT = """
            Usage: java -jar essaim.jar audit verify --url <base URL> [--user <address>]   (password in ESSAIM_PASSWORD)
                   java -jar essaim.jar audit verify --data-dir <data directory>           (with the server stopped)""";

    private AuditCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length < 2 || !"audit".equals(args[0]) || !"verify".equals(args[1])) {
            err.println(USAGE_TEXT);
            return USAGE;
        }
        String url = null;
        String dataDir = null;
        String user = null;
        for (int i = 2; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--url" -> url = value;
                case "--data-dir" -> dataDir = value;
                case "--user" -> user = value;
                default -> {
                    err.println("Unknown option " + args[i] + "\n" + USAGE_TEXT);
                    return USAGE;
                }
            }
            if (value == null) {
                err.println(args[i] + " needs a value\n" + USAGE_TEXT);
                return USAGE;
            }
            i++;
        }
        if ((url == null) == (dataDir == null)) {
            err.println("Give either --url or --data-dir.\n" + USAGE_TEXT);
            return USAGE;
        }
        try {
            return url != null ? verifyOverHttp(url, user, System.getenv("ESSAIM_PASSWORD"), out, err)
                    : verifyDataDir(Path.of(dataDir), out, err);
        } catch (ReadFailure e) {
            err.println("Could not read the audit log: " + e.getMessage());
            return UNREADABLE;
        }
    }

    public static int verifyOverHttp(String baseUrl, String user, String password, PrintStream out, PrintStream err)
            throws ReadFailure {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        String authorization = user == null ? null : "Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + (password == null ? "" : password)).getBytes(StandardCharsets.UTF_8));
        ObjectMapper json = new ObjectMapper();
        AuditChainVerifier verifier = new AuditChainVerifier(fingerprint -> {
            HttpResponse<byte[]> key = get(http, base + "/api/audit/keys/"
                    + URLEncoder.encode(fingerprint, StandardCharsets.UTF_8), authorization);
            return key.statusCode() == 200 ? Optional.of(key.body()) : Optional.empty();
        });
        try {
            long after = 0;
            while (true) {
                HttpResponse<byte[]> page = get(http, base + "/api/audit?after=" + after + "&limit=" + PAGE, authorization);
                if (page.statusCode() != 200) {
                    throw new ReadFailure("GET /api/audit answered " + page.statusCode()
                            + (page.statusCode() == 401 ? " (a members-only log: use --user and ESSAIM_PASSWORD)" : ""));
                }
                String[] lines = new String(page.body(), StandardCharsets.UTF_8).split("\n");
                int read = 0;
                for (String line : lines) {
                    if (line.isBlank()) {
                        continue;
                    }
                    AuditEntry entry = fromJson(json.readTree(line));
                    verifier.check(entry);
                    after = entry.seq();
                    read++;
                }
                if (read < PAGE) {
                    break;
                }
            }
        } catch (AuditChainVerifier.BrokenChainException broken) {
            err.println("BROKEN: " + broken.getMessage());
            return BROKEN;
        } catch (ReadFailure e) {
            throw e;
        } catch (Exception e) {
            throw new ReadFailure(e.toString());
        }
        return report(verifier, out, err);
    }

    public static int verifyDataDir(Path dataDir, PrintStream out, PrintStream err) throws ReadFailure {
        Path database = dataDir.toAbsolutePath().normalize().resolve("db/essaim");
        if (!Files.exists(Path.of(database + ".mv.db"))) {
            throw new ReadFailure("no Essaim database at " + database + ".mv.db");
        }
        try (Connection connection = DriverManager.getConnection("jdbc:h2:file:" + database, "sa", "")) {
            AuditChainVerifier verifier = new AuditChainVerifier(fingerprint -> {
                try (PreparedStatement query = connection.prepareStatement(
                        "SELECT armored FROM audit_signer_key WHERE fingerprint = ?")) {
                    query.setString(1, fingerprint);
                    try (ResultSet row = query.executeQuery()) {
                        return row.next() ? Optional.of(row.getString(1).getBytes(StandardCharsets.UTF_8)) : Optional.empty();
                    }
                }
            });
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT seq, kind, statement, signature, signer_fingerprint, entry_hash FROM audit_entry ORDER BY seq");
                 ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    verifier.check(AuditLog.toEntry(rows, 0));
                }
            } catch (AuditChainVerifier.BrokenChainException broken) {
                err.println("BROKEN: " + broken.getMessage());
                return BROKEN;
            }
            return report(verifier, out, err);
        } catch (SQLException e) {
            throw new ReadFailure(e.getMessage() + " (is the server still running? stop it, or use --url)");
        }
    }

    private static int report(AuditChainVerifier verifier, PrintStream out, PrintStream err) {
        if (verifier.entriesChecked() == 0) {
            err.println("BROKEN: the log is empty (no genesis entry)");
            return BROKEN;
        }
        out.println("OK: " + verifier.entriesChecked() + " entries, every hash and signature verified; head "
                + verifier.head());
        return OK;
    }

    static AuditEntry fromJson(JsonNode line) {
        return new AuditEntry(line.path("seq").asLong(), AuditEntry.Kind.valueOf(line.path("kind").asText()),
                line.path("statement").asText().getBytes(StandardCharsets.UTF_8),
                line.path("signature").isTextual() ? line.get("signature").asText() : null,
                line.path("signer").isTextual() ? line.get("signer").asText() : null,
                line.path("hash").asText());
    }

    private static HttpResponse<byte[]> get(HttpClient http, String url, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The log could not be read at all (network, credentials, database). */
    public static final class ReadFailure extends Exception {
        ReadFailure(String message) {
            super(message);
        }
    }
}
