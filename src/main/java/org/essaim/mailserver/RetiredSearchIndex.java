package org.essaim.mailserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Essaim before issue 14 kept a Lucene search index in {@code var/search-index}; SEARCH now reads the store
 * (mailserver.search). The old index is deleted at start: it could still hold the text of mail indexed while it
 * was in clear, and nothing reads it any more.
 */
final class RetiredSearchIndex {
    private static final Logger LOGGER = LoggerFactory.getLogger(RetiredSearchIndex.class);

    private RetiredSearchIndex() {
    }

    static void removeFrom(Path jamesWorkingDirectory) {
        Path index = jamesWorkingDirectory.resolve("var/search-index");
        if (!Files.isDirectory(index)) {
            return;
        }
        try (Stream<Path> files = Files.walk(index)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
            LOGGER.info("Removed the former Lucene search index (SEARCH now reads the mailbox store)");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot remove the former search index " + index, e);
        }
    }
}
