package org.essaim.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.essaim.support.ChildEssaim;
import org.essaim.support.EssaimInstance;
import org.essaim.support.LineClient;
import org.essaim.support.TestKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large mail with the documented heap (issue 11): Essaim in a child JVM with {@code -XX:+UseSerialGC -Xmx384m}
 * accepts a 45 MB message by SMTP and a 30 MB IMAP APPEND, both stored encrypted. The messages are streamed: what
 * does not fit the in-memory spool goes to a temp file encrypted under a key held only in memory and unlinked at once,
 * so the child's temp directory stays empty and the text of the messages is nowhere under its data directory.
 */
class LargeMessagesTest {
    /** Encrypting and storing 45 MB takes seconds, many more on a loaded CI machine: not what is tested here. */
    private static final int SLOW_ANSWER_MS = 300_000;
    private static final String TEXT_PART = "The archive, as promised, with the figures of the 4th quarter.";

    @TempDir
    Path temp;

    @Test
    void a45MegabyteSmtpMessageAndA30MegabyteAppendAreStoredWithTheDocumentedHeap() throws Exception {
        Path tmp = Files.createDirectories(temp.resolve("tmp"));
        try (ChildEssaim essaim = new ChildEssaim(temp.resolve("data"),
                List.of("-XX:+UseSerialGC", "-Xmx384m", "-Djava.io.tmpdir=" + tmp), Map.of())) {
            essaim.start();
            essaim.publishKey(EssaimInstance.ADMIN, EssaimInstance.ADMIN_PASSWORD,
                    TestKeys.generate(EssaimInstance.ADMIN).publicKey());

            try (LineClient smtp = LineClient.connect(essaim.smtpPort())) {
                smtp.socket().setSoTimeout(SLOW_ANSWER_MS);
                smtp.readSmtpReply();
                smtp.smtp("EHLO sender.example");
                assertThat(smtp.smtp("MAIL FROM:<someone@sender.example> SIZE=" + 45_000_000)).startsWith("250");
                assertThat(smtp.smtp("RCPT TO:<" + EssaimInstance.ADMIN + ">")).startsWith("250");
                assertThat(smtp.smtp("DATA")).startsWith("354");
                smtp.sendRaw(message("large-smtp@sender.example", 45_000_000));
                smtp.sendRaw(".\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(smtp.readSmtpReply()).as("answer to a 45 MB message").startsWith("250");
            }

            byte[] appended = message("large-append@sender.example", 30_000_000);
            try (LineClient imap = LineClient.connectTls(essaim.imapsPort())) {
                imap.socket().setSoTimeout(SLOW_ANSWER_MS);
                imap.readLine();
                imap.send("a LOGIN \"" + EssaimInstance.ADMIN + "\" \"" + EssaimInstance.ADMIN_PASSWORD + "\"");
                assertThat(imap.readImapUntilTagged("a")).contains("a OK");
                imap.send("b APPEND INBOX {" + appended.length + "}");
                assertThat(imap.readLine()).startsWith("+");
                imap.sendRaw(appended);
                imap.send("");
                assertThat(imap.readImapUntilTagged("b")).as("answer to a 30 MB APPEND").contains("b OK");
                // A 45 MB message from an unknown server may be filed as spam: both folders are looked at.
                String fetched = "";
                for (String folder : List.of("INBOX", "Spam")) {
                    imap.send("c EXAMINE " + folder);
                    if (imap.readImapUntilTagged("c").contains("c OK")) {
                        imap.send("d FETCH 1:* (RFC822.SIZE BODY.PEEK[HEADER.FIELDS (MESSAGE-ID CONTENT-TYPE)])");
                        fetched += imap.readImapUntilTagged("d");
                    }
                }
                assertThat(fetched).contains("large-smtp@sender.example").contains("large-append@sender.example");
                assertThat(fetched.split("multipart/encrypted", -1)).as("both stored as PGP/MIME").hasSize(3);
            }
            try (Stream<Path> left = Files.walk(tmp)) {
                assertThat(left.filter(Files::isRegularFile).toList())
                        .as("no temporary file left (spool files have no name; James' clear-text spool is not used)").isEmpty();
            }
        }
        assertThat(filesContaining(temp.resolve("data"), TEXT_PART)).as("the text of the messages is nowhere on disk").isEmpty();
    }

    private static List<Path> filesContaining(Path directory, String text) throws IOException {
        byte[] wanted = text.getBytes(StandardCharsets.US_ASCII);
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).filter(file -> contains(file, wanted)).toList();
        }
    }

    private static boolean contains(Path file, byte[] wanted) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            int matched = 0;
            int b;
            while ((b = in.read()) >= 0) {
                matched = b == wanted[matched] ? matched + 1 : (b == wanted[0] ? 1 : 0);
                if (matched == wanted.length) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A message of about {@code size} bytes as large mail usually is: a short text and a big attachment (base64 in
     * 76-character lines).
     */
    private static byte[] message(String id, int size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(size + 1024);
        out.writeBytes(("From: someone@sender.example\r\nTo: " + EssaimInstance.ADMIN + "\r\nSubject: large\r\nMessage-ID: <"
                + id + ">\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
                + "--b1\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n" + TEXT_PART + "\r\n"
                + "--b1\r\nContent-Type: application/octet-stream; name=\"archive.bin\"\r\n"
                + "Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"archive.bin\"\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        byte[] line = ("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/abcdefghijkl\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        while (out.size() < size) {
            out.write(line, 0, line.length);
        }
        out.writeBytes("--b1--\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
