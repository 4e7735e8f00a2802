package org.apache.james.server.core;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;

import javax.mail.internet.InternetHeaders;

/**
 * ESSAIM REPLACEMENT of James 3.8.1's class of the same name (same API), which wins because the application's
 * classes come before its libraries on the class path. James writes every header line it re-serialises (the
 * queue, the mailet pipeline, the mailbox append — every time a Mail's message is written out) with
 * {@code getBytes(US_ASCII)}: a raw UTF-8 header (RFC 6532, e.g. {@code Subject: raw UTF-8 Ümlaut}) became
 * {@code ??mlaut}, in mail Essaim encrypts and in mail that arrived already encrypted and must be stored byte for
 * byte (Essaim issue 14 item 5). James' master still does so (JAMES-4133 only announces SMTPUTF8).
 * <p>javax.mail reads header bytes as ISO-8859-1 characters (one char per byte, {@code mail.mime.allowutf8} off),
 * so writing chars up to U+00FF back as single bytes returns the exact bytes that arrived; a char above (a
 * header set from Java with real Unicode) is written as UTF-8. {@link #read()} also returns bytes as 0..255
 * (James' version returned them signed, harmless only while they were ASCII).
 */
public class InternetHeadersInputStream extends InputStream {

    private static final String LINE_SEPERATOR = "\r\n";

    private final Enumeration<String> headerLines;
    private byte[] currLine;
    private int pos = 0;

    public InternetHeadersInputStream(InternetHeaders headers) {
        this(headers.getAllHeaderLines());
    }

    public InternetHeadersInputStream(Enumeration<String> headerLines) {
        this.headerLines = headerLines;
    }

    @Override
    public int read() {
        if (currLine == null || pos == currLine.length) {
            if (!readNextLine()) {
                return -1;
            }
        }
        return currLine[pos++] & 0xFF;
    }

    private boolean readNextLine() {
        if (headerLines.hasMoreElements()) {
            pos = 0;
            String line = (headerLines.nextElement() + LINE_SEPERATOR);
            if (!headerLines.hasMoreElements()) {
                line += LINE_SEPERATOR; // an empty line ends the header section
            }
            currLine = bytesOf(line);
            return true;
        } else {
            return false;
        }
    }

    /** The bytes javax.mail read the line from (ISO-8859-1 chars); UTF-8 for characters beyond. */
    static byte[] bytesOf(String line) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(line.length());
        for (int i = 0; i < line.length(); ) {
            int codePoint = line.codePointAt(i);
            if (codePoint <= 0xFF) {
                out.write(codePoint);
            } else {
                out.writeBytes(new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
            }
            i += Character.charCount(codePoint);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        currLine = null;
    }
}
