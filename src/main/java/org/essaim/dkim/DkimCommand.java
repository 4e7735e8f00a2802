package org.essaim.dkim;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code java -jar essaim.jar dkim rotate [--data-dir ./data] [--domain example.org] [--wait-seconds 30]}: asks the
 * server to add a new DKIM key (the old one stays published for {@code essaim.dkim.grace-days}, then is retired).
 * It leaves a request file in the data directory, which the running server picks up within seconds (or at its next
 * start), and prints the new record to publish. A file, not an HTTP call: whoever can write the data directory
 * already holds the keys. The change is a server entry in the audit log.
 */
public final class DkimCommand {
    private DkimCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length < 2 || !"rotate".equals(args[1])) {
            err.println("usage: java -jar essaim.jar dkim rotate [--data-dir ./data] [--domain example.org] [--wait-seconds 30]");
            return 2;
        }
        Path dataDir = Path.of("./data");
        String domain = "";
        int waitSeconds = 30;
        for (int i = 2; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--data-dir" -> dataDir = Path.of(args[i + 1]);
                case "--domain" -> domain = args[i + 1];
                case "--wait-seconds" -> waitSeconds = Integer.parseInt(args[i + 1]);
                default -> {
                    err.println("unknown option " + args[i]);
                    return 2;
                }
            }
        }
        DkimKeyStore store = new DkimKeyStore(dataDir.toAbsolutePath());
        Path request = store.root().resolve(DkimKeys.ROTATE_REQUEST);
        Path done = store.root().resolve(DkimKeys.ROTATE_REQUEST + ".done");
        try {
            Files.createDirectories(store.root());
            Files.deleteIfExists(done);
            Files.writeString(request, domain, StandardCharsets.UTF_8);
            for (int waited = 0; waited < waitSeconds * 10 && Files.exists(request); waited++) {
                Thread.sleep(100);
            }
            if (Files.exists(request)) {
                out.println("Rotation requested; the server will do it when it runs (it is not answering now).");
                return 0;
            }
            out.println("New DKIM key; publish this record (the old one stays valid during the grace period):");
            out.print(Files.exists(done) ? Files.readString(done, StandardCharsets.UTF_8) : "");
            return 0;
        } catch (IOException e) {
            err.println("Cannot write the request into " + store.root() + ": " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }
}
