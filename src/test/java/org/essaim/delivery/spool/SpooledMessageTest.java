package org.essaim.delivery.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Stream;

import javax.mail.Multipart;
import javax.mail.Session;
import javax.activation.DataSource;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import javax.mail.internet.SharedInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spool that holds a message while it is received and encrypted (issue 11 item 6): the same bytes come back
 * from any position, a large message leaves memory for a file that has no name and holds no plaintext, and
 * javax.mail parses a multipart from it without copying the parts.
 */
class SpooledMessageTest {
    private static final byte[] CANARY = "canary-7f3a9c41-never-on-disk".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path directory;

    @Test
    void aSmallMessageStaysInMemoryAndReadsBackAsWritten() throws IOException {
        MessageSpool spool = new MessageSpool(directory, 64 * 1024);
        byte[] message = randomBytes(5_000, 1);
        try (SpooledMessage spooled = spool.newMessage()) {
            write(spooled, message, 7);
            assertThat(spooled.inMemory()).isTrue();
            assertThat(spooled.size()).isEqualTo(message.length);
            assertThat(readAll(spooled.open())).isEqualTo(message);
            assertThat(readAll(spooled.open())).as("read twice").isEqualTo(message);
        }
        assertThat(filesIn(directory)).isEmpty();
    }

    @Test
    void aLargeMessageGoesToAFileWithoutANameThatHoldsNoPlaintext() throws IOException {
        MessageSpool spool = new MessageSpool(directory, 64 * 1024);
        byte[] message = messageWithCanaries(3_000_000);
        try (SpooledMessage spooled = spool.newMessage()) {
            write(spooled, message, 10_007);
            assertThat(spooled.inMemory()).isFalse();
            assertThat(filesIn(directory)).as("the spill file is unlinked as soon as it is open").isEmpty();

            List<Path> spillFiles = openFilesOnceIn(directory);
            assertThat(spillFiles).as("the spill file, seen through this process's open files").hasSize(1);
            byte[] onDisk = Files.readAllBytes(spillFiles.get(0));
            assertThat(onDisk.length).isEqualTo(message.length);
            assertThat(indexOf(onDisk, CANARY)).as("plaintext in the spill file").isEqualTo(-1);
            assertThat(indexOf(message, CANARY)).isGreaterThan(0);

            assertThat(readAll(spooled.open())).isEqualTo(message);
        }
        assertThat(openFilesOnceIn(directory)).as("closed: the file is gone").isEmpty();
    }

    @Test
    void readersStartAnywhereMarkResetAndTakeSubRangesLikeSharedInputStreams() throws IOException {
        MessageSpool spool = new MessageSpool(directory, 1024);
        byte[] message = randomBytes(300_001, 2);
        try (SpooledMessage spooled = spool.newMessage()) {
            write(spooled, message, 4093);
            Random random = new Random(3);
            for (int i = 0; i < 200; i++) {
                int from = random.nextInt(message.length);
                int to = from + random.nextInt(message.length - from + 1);
                SpooledMessage.Reader reader = spooled.open();
                InputStream range = reader.newStream(from, to);
                assertThat(readAll(range)).isEqualTo(Arrays.copyOfRange(message, from, to));
            }
            SpooledMessage.Reader reader = spooled.open();
            assertThat(reader.skip(70_000)).isEqualTo(70_000);
            assertThat(reader.getPosition()).isEqualTo(70_000);
            reader.mark(0);
            byte[] first = reader.readNBytes(100_000);
            reader.reset();
            assertThat(reader.readNBytes(100_000)).isEqualTo(first).isEqualTo(Arrays.copyOfRange(message, 70_000, 170_000));
            // Sub-ranges count from the reader's start, wherever it is reading.
            SharedInputStream nested = (SharedInputStream) reader.newStream(1000, 2000);
            assertThat(readAll(nested.newStream(10, 20))).isEqualTo(Arrays.copyOfRange(message, 1010, 1020));
            assertThat(readAll(reader.newStream(message.length - 5, -1)))
                    .isEqualTo(Arrays.copyOfRange(message, message.length - 5, message.length));
        }
    }

    @Test
    void javaxMailParsesAMultipartFromTheSpoolWithoutCopyingItsParts() throws Exception {
        MessageSpool spool = new MessageSpool(directory, 16 * 1024);
        String attachment = "QUJD".repeat(19) + "\r\n";
        byte[] message = ("From: a@example.org\r\nSubject: parts\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
                + "--b1\r\nContent-Type: text/plain\r\n\r\nThe text.\r\n"
                + "--b1\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + attachment.repeat(20_000) + "--b1--\r\n").getBytes(StandardCharsets.US_ASCII);
        try (SpooledMessage spooled = spool.newMessage()) {
            write(spooled, message, 65_536);
            MimeMessage parsed = new MimeMessage(Session.getInstance(new Properties()), spooled.open());
            // (MimeMultipart straight from the content: the test classpath's mailcap is not the server's)
            Multipart parts = new MimeMultipart(new DataSource() {
                @Override
                public InputStream getInputStream() throws IOException {
                    try {
                        return parsed.getRawInputStream();
                    } catch (javax.mail.MessagingException e) {
                        throw new IOException(e);
                    }
                }

                @Override
                public OutputStream getOutputStream() {
                    throw new UnsupportedOperationException();
                }

                @Override
                public String getContentType() {
                    return "multipart/mixed; boundary=\"b1\"";
                }

                @Override
                public String getName() {
                    return "spooled";
                }
            });
            assertThat(parts.getCount()).isEqualTo(2);
            assertThat(readAll(parts.getBodyPart(0).getInputStream())).isEqualTo("The text.".getBytes(StandardCharsets.US_ASCII));
            assertThat(readAll(parts.getBodyPart(1).getInputStream())).hasSize(57 * 20_000);
            assertThat(((javax.mail.internet.MimeBodyPart) parts.getBodyPart(1)).getRawInputStream())
                    .as("a view of the spool, not a copy").isInstanceOf(SpooledMessage.Reader.class);
        }
    }

    @Test
    void aReleasedMessageCannotBeReadAnyMore() throws IOException {
        MessageSpool spool = new MessageSpool(directory, 1024);
        SpooledMessage spooled = spool.newMessage();
        write(spooled, randomBytes(10_000, 4), 1000);
        InputStream reader = spooled.open();
        spooled.close();
        assertThatThrownBy(reader::read).isInstanceOf(IOException.class);
        assertThatThrownBy(spooled::open).isInstanceOf(IOException.class);
    }

    private static void write(SpooledMessage spooled, byte[] message, int chunk) throws IOException {
        OutputStream out = spooled.output();
        for (int i = 0; i < message.length; i += chunk) {
            if (i % (3 * chunk) == 0) {
                out.write(message[i]); // single bytes too
                out.write(message, i + 1, Math.min(chunk, message.length - i) - 1);
            } else {
                out.write(message, i, Math.min(chunk, message.length - i));
            }
        }
        out.close();
    }

    private static byte[] messageWithCanaries(int size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(size + 100);
        while (out.size() < size) {
            out.writeBytes("Some line of a message, and then: ".getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(CANARY);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[777];
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        }
    }

    private static List<String> filesIn(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(Path::toString).toList();
        }
    }

    /** This process's open files that were created in {@code directory} and have since been deleted (Linux). */
    private static List<Path> openFilesOnceIn(Path directory) throws IOException {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
            for (Path descriptor : descriptors.toList()) {
                try {
                    String target = Files.readSymbolicLink(descriptor).toString();
                    if (target.startsWith(directory.toString()) && target.endsWith("(deleted)")) {
                        found.add(descriptor);
                    }
                } catch (IOException gone) {
                    // closed meanwhile
                }
            }
        }
        return found;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
