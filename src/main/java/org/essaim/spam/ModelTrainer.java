package org.essaim.spam;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code java -jar essaim.jar spam-model --spam DIR... --ham DIR... --out FILE}: builds a token table from an admin's
 * corpus (directories with one message per file, such as Maildir's cur/ and new/, searched recursively; .json files
 * are skipped), for {@code essaim.spam.model}. The bundled default model was made this way (docs/spam.md). Runs
 * without the server; reads only the files it is given.
 */
public final class ModelTrainer {

    private ModelTrainer() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<Path> spam = new ArrayList<>();
        List<Path> ham = new ArrayList<>();
        Path output = null;
        List<Path> current = null;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--spam" -> current = spam;
                case "--ham" -> current = ham;
                case "--out" -> {
                    if (i + 1 >= args.length) {
                        return usage(err);
                    }
                    output = Path.of(args[++i]);
                    current = null;
                }
                default -> {
                    if (current == null) {
                        return usage(err);
                    }
                    current.add(Path.of(args[i]));
                }
            }
        }
        if (spam.isEmpty() || ham.isEmpty() || output == null) {
            return usage(err);
        }
        try {
            TokenTable table = new TokenTable();
            int spamCount = learnAll(table, spam, true);
            int hamCount = learnAll(table, ham, false);
            table.prune(2);
            try (OutputStream file = Files.newOutputStream(output)) {
                table.write(file);
            }
            out.printf("Learned %d spam and %d ham messages: %d tokens written to %s%n", spamCount, hamCount,
                    table.size(), output);
            return 0;
        } catch (IOException e) {
            err.println("spam-model: " + e.getMessage());
            return 1;
        }
    }

    static int learnAll(TokenTable table, List<Path> directories, boolean spam) throws IOException {
        int count = 0;
        for (Path directory : directories) {
            List<Path> files;
            try (Stream<Path> walk = Files.walk(directory)) {
                files = walk.filter(Files::isRegularFile).filter(f -> !f.toString().endsWith(".json")).sorted().toList();
            }
            for (Path file : files) {
                table.learn(Tokenizer.tokens(MessageText.parse(withoutMboxLine(Files.readAllBytes(file)))), spam);
                count++;
            }
        }
        return count;
    }

    /** Drops an mbox "From sender date" first line (corpora often keep it); it is not a header. */
    static byte[] withoutMboxLine(byte[] raw) {
        String start = new String(raw, 0, Math.min(raw.length, 5), StandardCharsets.ISO_8859_1);
        if (!start.equals("From ")) {
            return raw;
        }
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '\n') {
                return java.util.Arrays.copyOfRange(raw, i + 1, raw.length);
            }
        }
        return raw;
    }

    private static int usage(PrintStream err) {
        err.println("usage: essaim.jar spam-model --spam DIR... --ham DIR... --out FILE");
        return 2;
    }
}
