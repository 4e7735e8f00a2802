package org.essaim.delivery.spool;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import javax.mail.internet.SharedInputStream;

import org.apache.james.lifecycle.api.Disposable;
import org.apache.james.server.core.MimeMessageSource;

/**
 * The bytes of one message, written once and then read as often as needed, from any position. Up to a limit they
 * stay in memory; beyond it they go to a temporary file encrypted with AES-256-CTR under a random key and counter
 * held only by this object. The file is unlinked as soon as it is open (on Linux it then has no name and vanishes
 * with the process, even after a kill -9), so what a disk ever holds of it is ciphertext under a key that never
 * left memory. CTR (not an authenticated mode) because readers start anywhere (javax.mail parses multiparts by
 * position) and the file is written and read by this process alone within one delivery: the goal is that nothing
 * readable reaches the disk, not protection against someone rewriting our temp file as we read it.
 * <p>
 * Readers are {@link SharedInputStream}s, so javax.mail (James' MimeMessageWrapper, multipart parsing) takes
 * sub-ranges of the message without copying them into arrays. It is also James' {@link MimeMessageSource}, so a
 * Mail can carry it; {@link #dispose()} (= {@link #close()}) frees memory and file.
 */
public final class SpooledMessage implements MimeMessageSource, Disposable, AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int BLOCK = 16;
    private static final int FILE_BUFFER = 64 * 1024;

    private final Path directory;
    private final int memoryLimit;
    private final String id = Long.toHexString(RANDOM.nextLong());
    private final SecretKeySpec key;
    private final byte[] initialCounter = new byte[BLOCK];
    private final Spill spill = new Spill();
    private final Cleaner.Cleanable cleanable;

    private byte[] memory = new byte[0];
    private Writer writer;
    private long size;
    private boolean writing = true;
    private volatile boolean closed;

    SpooledMessage(Path directory, int memoryLimit) {
        this.directory = directory;
        this.memoryLimit = memoryLimit;
        byte[] keyBytes = new byte[32];
        RANDOM.nextBytes(keyBytes);
        RANDOM.nextBytes(initialCounter);
        this.key = new SecretKeySpec(keyBytes, "AES");
        Arrays.fill(keyBytes, (byte) 0);
        this.cleanable = CLEANER.register(this, spill);
    }

    /** The message's bytes go in here; close it (or start reading) to finish writing. */
    public OutputStream output() {
        if (writer == null) {
            writer = new Writer();
        }
        return writer;
    }

    /** Copies a whole stream in (and closes the spool for writing). */
    public SpooledMessage readFrom(InputStream in) throws IOException {
        try (OutputStream out = output()) {
            in.transferTo(out);
        }
        return this;
    }

    public long size() {
        return size;
    }

    /** True while the bytes are only in memory. */
    public boolean inMemory() {
        return spill.channel == null;
    }

    /** A reader from the first byte to the last. */
    public Reader open() throws IOException {
        if (closed) {
            throw new IOException("The spooled message was released");
        }
        if (writer != null) {
            writer.close(); // what it still buffers goes to the file first
        }
        writing = false;
        return new Reader(0, size);
    }

    @Override
    public InputStream getInputStream() throws IOException {
        return open();
    }

    @Override
    public String getSourceId() {
        return "spool-" + id;
    }

    @Override
    public long getMessageSize() {
        return size;
    }

    /** Frees the memory and the file; readers still open fail from now on. */
    @Override
    public void close() {
        closed = true;
        memory = null;
        cleanable.clean();
    }

    @Override
    public void dispose() {
        close();
    }

    private Cipher cipherAt(long blockIndex) throws IOException {
        try {
            Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(counterPlus(initialCounter, blockIndex)));
            return cipher;
        } catch (GeneralSecurityException e) {
            throw new IOException("AES-CTR unavailable", e);
        }
    }

    /** The 128-bit big-endian counter block {@code counter + n}, as AES-CTR increments it from one block to the next. */
    static byte[] counterPlus(byte[] counter, long n) {
        byte[] result = counter.clone();
        long carry = n;
        for (int i = BLOCK - 1; i >= 0 && carry != 0; i--) {
            long sum = (result[i] & 0xff) + (carry & 0xff);
            result[i] = (byte) sum;
            carry = (carry >>> 8) + (sum >>> 8);
        }
        return result;
    }

    /** The spill file, closed by {@link #close()} or, should a caller forget, when the message is collected. */
    private static final class Spill implements Runnable {
        volatile FileChannel channel;

        @Override
        public void run() {
            FileChannel open = channel;
            channel = null;
            if (open != null) {
                try {
                    open.close();
                } catch (IOException ignored) {
                    // the file is unlinked already; closing releases its blocks
                }
            }
        }
    }

    private final class Writer extends OutputStream {
        private Cipher cipher;
        private byte[] plain;
        private int buffered;
        private long fileLength;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (!writing || closed) {
                throw new IOException("The spooled message is no longer being written");
            }
            if (spill.channel == null && size + length <= memoryLimit) {
                if (size + length > memory.length) {
                    memory = Arrays.copyOf(memory, (int) Math.min(memoryLimit, Math.max(size + length, Math.max(8192, memory.length * 2L))));
                }
                System.arraycopy(bytes, offset, memory, (int) size, length);
                size += length;
                return;
            }
            if (spill.channel == null) {
                startSpilling();
            }
            while (length > 0) {
                int n = Math.min(length, plain.length - buffered);
                System.arraycopy(bytes, offset, plain, buffered, n);
                buffered += n;
                offset += n;
                length -= n;
                size += n;
                if (buffered == plain.length) {
                    flushBuffer();
                }
            }
        }

        private void startSpilling() throws IOException {
            Path file = Files.createTempFile(directory, "essaim-spool-", ".bin");
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            try {
                Files.delete(file); // no name on disk from now on: nothing to clean up after a crash
            } catch (IOException notOnThisSystem) {
                channel.close();
                channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                        StandardOpenOption.DELETE_ON_CLOSE);
            }
            spill.channel = channel;
            cipher = cipherAt(0);
            plain = new byte[FILE_BUFFER];
            // What was in memory goes first, encrypted like the rest.
            long inMemory = size;
            size = 0;
            byte[] earlier = memory;
            memory = new byte[0];
            int position = 0;
            while (position < inMemory) {
                int n = (int) Math.min(plain.length - buffered, inMemory - position);
                System.arraycopy(earlier, position, plain, buffered, n);
                buffered += n;
                position += n;
                size += n;
                if (buffered == plain.length) {
                    flushBuffer();
                }
            }
        }

        private void flushBuffer() throws IOException {
            if (buffered == 0) {
                return;
            }
            byte[] encrypted = cipher.update(plain, 0, buffered);
            ByteBuffer buffer = ByteBuffer.wrap(encrypted);
            while (buffer.hasRemaining()) {
                fileLength += spill.channel.write(buffer, fileLength);
            }
            Arrays.fill(plain, 0, buffered, (byte) 0);
            buffered = 0;
        }

        @Override
        public void close() throws IOException {
            if (!writing) {
                return;
            }
            if (spill.channel != null) {
                flushBuffer();
                plain = null;
            } else if (memory.length > size) {
                memory = Arrays.copyOf(memory, (int) size);
            }
            writing = false;
        }
    }

    /**
     * Reads a range of the message. Positions are relative to this reader's start, as {@link SharedInputStream}
     * asks; {@link #newStream} gives a reader over a sub-range without reading it.
     */
    public final class Reader extends InputStream implements SharedInputStream {
        private final long start;
        private final long end;
        private long position;
        private long mark;
        private byte[] buffer;
        private long bufferStart;
        private int bufferLength;

        private Reader(long start, long end) {
            this.start = start;
            this.end = end;
            this.position = start;
            this.mark = start;
        }

        @Override
        public int read() throws IOException {
            if (position >= end) {
                return -1;
            }
            fill();
            return buffer[(int) (position++ - bufferStart)] & 0xff;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (position >= end) {
                return -1;
            }
            int total = 0;
            while (length > 0 && position < end) {
                fill();
                int available = (int) Math.min(bufferStart + bufferLength - position, end - position);
                int n = Math.min(length, available);
                System.arraycopy(buffer, (int) (position - bufferStart), bytes, offset, n);
                position += n;
                offset += n;
                length -= n;
                total += n;
            }
            return total;
        }

        /** Makes the buffer cover {@link #position}. */
        private void fill() throws IOException {
            if (closed) {
                throw new IOException("The spooled message was released");
            }
            if (buffer != null && position >= bufferStart && position < bufferStart + bufferLength) {
                return;
            }
            FileChannel channel = spill.channel;
            if (channel == null) {
                buffer = memory;
                bufferStart = 0;
                bufferLength = (int) size;
                return;
            }
            long blockStart = position / BLOCK * BLOCK;
            int length = (int) Math.min(FILE_BUFFER, size - blockStart);
            ByteBuffer ciphertext = ByteBuffer.allocate(length);
            while (ciphertext.hasRemaining()) {
                if (channel.read(ciphertext, blockStart + ciphertext.position()) < 0) {
                    throw new IOException("The spool file ended early");
                }
            }
            try {
                buffer = cipherAt(blockStart / BLOCK).doFinal(ciphertext.array());
            } catch (GeneralSecurityException e) {
                throw new IOException("Cannot read the spool file", e);
            }
            bufferStart = blockStart;
            bufferLength = length;
        }

        @Override
        public long skip(long n) {
            long skipped = Math.max(0, Math.min(n, end - position));
            position += skipped;
            return skipped;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, end - position);
        }

        @Override
        public boolean markSupported() {
            return true;
        }

        @Override
        public synchronized void mark(int readLimit) {
            mark = position;
        }

        @Override
        public synchronized void reset() {
            position = mark;
        }

        @Override
        public long getPosition() {
            return position - start;
        }

        @Override
        public InputStream newStream(long from, long to) {
            long absoluteEnd = to < 0 ? end : Math.min(end, start + to);
            return new Reader(Math.min(start + from, absoluteEnd), absoluteEnd);
        }

        @Override
        public void close() {
            if (buffer != memory && buffer != null) {
                Arrays.fill(buffer, (byte) 0);
            }
            buffer = null;
        }
    }

    /** For callers that cannot throw. */
    public Reader openUnchecked() {
        try {
            return open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
