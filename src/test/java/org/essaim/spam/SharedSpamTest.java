package org.essaim.spam;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.essaim.support.EssaimInstance;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * "Report spam and share it" on the server's side (the browser's consent dialog is in BrowserSpamFilterTest): a
 * shared message teaches the server-side table as spam and counts for the admin view; a member may share at most
 * {@code essaim.spam.shared-per-day} (20) a day, nothing larger than what delivery reads, and the browser's own
 * filter table is kept only when it is an OpenPGP-encrypted message.
 */
class SharedSpamTest {
    static EssaimInstance essaim;

    @BeforeAll
    static void start() {
        essaim = EssaimInstance.shared();
    }

    @Test
    void sharedSpamIsLearntAndCountedUpToTheDailyLimit() {
        String member = essaim.newAccount("sharer", "a long enough test password");
        SharedSpam shared = essaim.bean(SharedSpam.class);
        ServerModel model = essaim.bean(ServerModel.class);
        String word = "zq" + UUID.randomUUID().toString().substring(0, 8);
        long before = essaim.bean(SpamStatistics.class).shared(1);
        assertThat(shared.share(member, message(word))).isEqualTo(SharedSpam.Outcome.LEARNT);
        assertThat(model.learnedSpamCount(word)).isEqualTo(1);
        assertThat(essaim.bean(SpamStatistics.class).shared(1)).isEqualTo(before + 1);
        for (int i = 1; i < 20; i++) {
            assertThat(shared.share(member, message(word))).isEqualTo(SharedSpam.Outcome.LEARNT);
        }
        assertThat(shared.share(member, message(word))).isEqualTo(SharedSpam.Outcome.TOO_MANY_TODAY);
        assertThat(model.learnedSpamCount(word)).as("nothing learnt over the limit").isEqualTo(20);
        String other = essaim.newAccount("sharer", "a long enough test password");
        assertThat(shared.share(other, message(word))).as("the limit is per member").isEqualTo(SharedSpam.Outcome.LEARNT);
        assertThat(shared.share(other, new byte[SharedSpam.MAX_BYTES + 1])).isEqualTo(SharedSpam.Outcome.TOO_LARGE);
    }

    @Test
    void theBrowsersFilterTableIsKeptOnlyAsAnEncryptedMessage() {
        String member = essaim.newAccount("filter-owner", "a long enough test password");
        BrowserFilterBlobs blobs = essaim.bean(BrowserFilterBlobs.class);
        String clear = "{\"table\":{\"spam\":3,\"ham\":3,\"tokens\":{\"quincejam\":[3,0]}}}";
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> blobs.keep(member, clear))
                .isInstanceOf(IllegalArgumentException.class);
        String armoredClear = "-----BEGIN PGP MESSAGE-----\n\n" + java.util.Base64.getEncoder()
                .encodeToString(clear.getBytes(StandardCharsets.UTF_8)) + "\n-----END PGP MESSAGE-----\n";
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> blobs.keep(member, armoredClear))
                .as("armor around plaintext is not ciphertext").isInstanceOf(IllegalArgumentException.class);
        assertThat(blobs.of(member)).isEmpty();
    }

    private static byte[] message(String word) {
        return ("From: <seller@bargains.example>\r\nTo: <member@essaim.test>\r\nSubject: Cheap " + word
                + "\r\nMessage-ID: <" + UUID.randomUUID() + "@bargains.example>\r\n\r\nBuy " + word + " now, cheap, click here.\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }
}
