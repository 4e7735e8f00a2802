package org.essaim.dkim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * DKIM keys as files under {@code <data-dir>/dkim/<domain>/}: {@code <selector>.pem} (PKCS#8, owner-only) and
 * {@code <selector>.state} ({@code ACTIVE|GRACE|RETIRED <instant>}). Plain files, so the command line
 * ({@code java -jar essaim.jar dns}) reads them while the server runs. Keys are RSA-2048 (jDKIM 0.3 signs RSA only).
 * Selectors are {@code e<yyyyMMddHHmmss>}: new ones sort after old ones.
 */
public final class DkimKeyStore {
    private static final DateTimeFormatter SELECTOR_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

    private final Path root;

    public DkimKeyStore(Path dataDir) {
        this.root = dataDir.resolve("dkim");
    }

    public Path root() {
        return root;
    }

    public synchronized List<DkimKey> keys(String domain) {
        Path dir = root.resolve(normalise(domain));
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<DkimKey> keys = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path state : files.filter(p -> p.getFileName().toString().endsWith(".state")).toList()) {
                String selector = state.getFileName().toString().replaceAll("\\.state$", "");
                String[] parts = Files.readString(state, StandardCharsets.US_ASCII).trim().split("\\s+");
                PrivateKey key = readPrivateKey(dir.resolve(selector + ".pem"));
                keys.add(new DkimKey(normalise(domain), selector, DkimKey.State.valueOf(parts[0]),
                        Instant.parse(parts[1]), key));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the DKIM keys of " + domain, e);
        }
        keys.sort(Comparator.comparing(DkimKey::selector));
        return keys;
    }

    public Optional<DkimKey> active(String domain) {
        return keys(domain).stream().filter(k -> k.state() == DkimKey.State.ACTIVE).reduce((a, b) -> b);
    }

    /** Makes a first key for the domain when it has none; returns it if made. */
    public synchronized Optional<DkimKey> ensureKey(String domain, Instant now) {
        if (active(domain).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(create(domain, now));
    }

    /** Adds a new active key; the previous active key moves to GRACE (still published, no longer signing). */
    public synchronized Rotation rotate(String domain, Instant now) {
        Optional<DkimKey> previous = active(domain);
        previous.ifPresent(key -> writeState(key.domain(), key.selector(), DkimKey.State.GRACE, now));
        DkimKey created = create(domain, previous.map(p -> later(p, now)).orElse(now));
        return new Rotation(created, previous.map(p -> new DkimKey(p.domain(), p.selector(), DkimKey.State.GRACE, now, p.privateKey())));
    }

    /** Retires keys whose grace period is over; returns them (now RETIRED). */
    public synchronized List<DkimKey> retireDue(String domain, Instant now, Duration grace) {
        List<DkimKey> retired = new ArrayList<>();
        for (DkimKey key : keys(domain)) {
            if (key.state() == DkimKey.State.GRACE && !key.since().plus(grace).isAfter(now)) {
                writeState(key.domain(), key.selector(), DkimKey.State.RETIRED, now);
                retired.add(new DkimKey(key.domain(), key.selector(), DkimKey.State.RETIRED, now, key.privateKey()));
            }
        }
        return retired;
    }

    public List<String> domains() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The result of a rotation: the new key and the one it replaced. */
    public record Rotation(DkimKey added, Optional<DkimKey> replaced) { }

    private Instant later(DkimKey previous, Instant now) {
        // two rotations within one second would otherwise reuse a selector
        Instant previousTime = Instant.from(SELECTOR_TIME.parse(previous.selector().substring(1)));
        return now.isAfter(previousTime.plusSeconds(1)) ? now : previousTime.plusSeconds(1);
    }

    private DkimKey create(String domain, Instant now) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            PrivateKey key = generator.generateKeyPair().getPrivate();
            String selector = "e" + SELECTOR_TIME.format(now);
            Path dir = root.resolve(normalise(domain));
            Files.createDirectories(dir);
            Path pem = dir.resolve(selector + ".pem");
            Files.writeString(pem, pem(key), StandardCharsets.US_ASCII);
            try {
                Files.setPosixFilePermissions(pem, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the data directory's own permissions apply
            }
            writeState(normalise(domain), selector, DkimKey.State.ACTIVE, now);
            return new DkimKey(normalise(domain), selector, DkimKey.State.ACTIVE, now, key);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot generate a DKIM key", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot store a DKIM key", e);
        }
    }

    private void writeState(String domain, String selector, DkimKey.State state, Instant since) {
        try {
            Files.writeString(root.resolve(domain).resolve(selector + ".state"), state + " " + since + "\n",
                    StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot record the DKIM key state", e);
        }
    }

    static String pem(PrivateKey key) {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded());
        return "-----BEGIN PRIVATE KEY-----\n" + base64 + "\n-----END PRIVATE KEY-----\n";
    }

    private static PrivateKey readPrivateKey(Path pem) throws IOException {
        String base64 = Files.readString(pem, StandardCharsets.US_ASCII)
                .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s+", "");
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException e) {
            throw new IOException("Unreadable DKIM key " + pem, e);
        }
    }

    private static String normalise(String domain) {
        return domain.toLowerCase(Locale.ROOT);
    }
}
