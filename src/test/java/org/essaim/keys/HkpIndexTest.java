package org.essaim.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The machine-readable keyserver index (draft-shaw-openpgp-hkp 5.2) for a key made by GnuPG. */
class HkpIndexTest {

    @Test
    void listsTheKeyAndItsUserIdWithColonsAndNonAsciiEscaped(@TempDir Path work) {
        try (GpgHome gpg = GpgHome.create(work, "gnupg")) {
            String fingerprint = gpg.generateKey("Zoë: the admin <zoe@essaim.test>");
            byte[] binary = gpg.gpgBytes(null, "--export", fingerprint).stdout();
            StoredKey key = new StoredKey("zoe@essaim.test", fingerprint, "", binary, Instant.now());

            String index = HkpController.index(List.of(key));

            assertThat(index.split("\n")).hasSize(3);
            assertThat(index).startsWith("info:1:1\n")
                    .containsPattern("(?m)^pub:" + fingerprint + ":22:256:\\d{10}::$")
                    .contains("\nuid:Zo%C3%AB%3A the admin <zoe@essaim.test>:::\n");
        }
    }
}
