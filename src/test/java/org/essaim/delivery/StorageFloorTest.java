package org.essaim.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.essaim.support.OwnInstance;
import org.essaim.support.EssaimInstance;
import org.essaim.support.LineClient;
import org.essaim.support.StoredMessageIds;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A full disk loses nothing and heals by itself (issue 11): Essaim's data directory is a 200 MB tmpfs mounted by
 * the test (tests run as root; where mounting is impossible the test is skipped, and says so), filled with a
 * filler file until little is left, then by SMTP until the free-space floor refuses mail with 452. Every message
 * that got 250 is in the mailbox, admins got a notice, and once the filler is deleted mail is accepted again
 * without a restart.
 * <p>
 * Its own instance: a data directory on a small volume of its own, with a free-space floor.
 */
@OwnInstance
class StorageFloorTest {
    private static final long MIB = 1024 * 1024;
    private static final long FLOOR = 40 * MIB;

    private static Path volume;
    private static EssaimInstance essaim;

    @BeforeAll
    static void mountSmallVolume() throws Exception {
        volume = Files.createTempDirectory("essaim-small-volume-");
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=200m", "essaim-test", volume.toString())
                .redirectErrorStream(true).start();
        boolean mounted = mount.waitFor() == 0;
        assumeTrue(mounted, "cannot mount a 200 MB tmpfs here (needs root): " + new String(mount.getInputStream().readAllBytes()));
        essaim = EssaimInstance.start(volume.resolve("data"), Map.of("essaim.storage.min-free", FLOOR / MIB + "MB"));
        essaim.publishGeneratedKey(EssaimInstance.ADMIN);
    }

    @AfterAll
    static void unmount() throws Exception {
        if (essaim != null) {
            essaim.stop();
        }
        if (volume != null) {
            new ProcessBuilder("umount", volume.toString()).start().waitFor();
        }
    }

    @Test
    void aFullDiskRefusesWith452LosesNothingAndRecoversWhenSpaceReturns() throws Exception {
        Path filler = volume.resolve("filler");
        long leaveFree = FLOOR + 24 * MIB;
        fill(filler, Files.getFileStore(volume).getUsableSpace() - leaveFree);

        Set<String> acknowledged = new HashSet<>();
        String refusal = null;
        for (int i = 0; i < 400 && refusal == null; i++) {
            String id = "floor-" + i + "@sender.example";
            String reply = send(id, 256 * 1024);
            if (reply.startsWith("250")) {
                acknowledged.add(id);
            } else {
                refusal = reply;
            }
        }
        assertThat(acknowledged).as("messages accepted before the floor").isNotEmpty();
        assertThat(refusal).as("the answer once the disk is at its floor, in every language")
                .startsWith("452 4.3.1 Insufficient system storage").contains(" / Espace de stockage insuffisant");
        assertThat(essaim.bean(StorageFloor.class).state()).as("the floor's state once mail is refused")
                .isNotEqualTo(StorageFloor.State.OK);

        Set<String> stored = StoredMessageIds.in(essaim.imapsPort(), EssaimInstance.ADMIN, EssaimInstance.ADMIN_PASSWORD, "INBOX");
        assertThat(stored).as("every acknowledged message is stored").containsAll(acknowledged);

        // The admins hear of it (the notice is checked every 30 s).
        long deadline = System.currentTimeMillis() + 60_000;
        while (stored.stream().noneMatch(id -> id.startsWith("storage-")) && System.currentTimeMillis() < deadline) {
            Thread.sleep(1_000);
            stored = StoredMessageIds.in(essaim.imapsPort(), EssaimInstance.ADMIN, EssaimInstance.ADMIN_PASSWORD, "INBOX");
        }
        assertThat(stored).as("a storage notice in the admin's INBOX").anyMatch(id -> id.startsWith("storage-"));

        Files.delete(filler);
        Thread.sleep(1_000); // the floor looks at the disk again at most every half second
        assertThat(send("after-space-returned@sender.example", 4096)).startsWith("250");
        assertThat(StoredMessageIds.in(essaim.imapsPort(), EssaimInstance.ADMIN, EssaimInstance.ADMIN_PASSWORD, "INBOX"))
                .contains("after-space-returned@sender.example")
                .containsAll(acknowledged);
    }

    private static String send(String id, int size) {
        try (LineClient smtp = LineClient.connect(essaim.smtpPort())) {
            smtp.readSmtpReply();
            smtp.smtp("EHLO sender.example");
            String mail = smtp.smtp("MAIL FROM:<someone@sender.example>");
            if (!mail.startsWith("250")) {
                return mail;
            }
            String rcpt = smtp.smtp("RCPT TO:<" + EssaimInstance.ADMIN + ">");
            if (!rcpt.startsWith("250")) {
                return rcpt;
            }
            smtp.smtp("DATA");
            StringBuilder message = new StringBuilder("From: someone@sender.example\r\nTo: " + EssaimInstance.ADMIN
                    + "\r\nSubject: filling\r\nMessage-ID: <" + id + ">\r\n\r\n");
            String line = "abcdefghijklmnopqrstuvwxyz0123456789".repeat(2) + "\r\n";
            while (message.length() < size) {
                message.append(line);
            }
            smtp.sendRaw(message.append(".\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            return smtp.readSmtpReply();
        }
    }

    private static void fill(Path file, long bytes) throws IOException {
        byte[] chunk = new byte[(int) MIB];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < bytes; written += chunk.length) {
                out.write(chunk, 0, (int) Math.min(chunk.length, bytes - written));
            }
        }
    }
}
