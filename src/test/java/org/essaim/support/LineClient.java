package org.essaim.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import javax.net.ssl.SSLSocket;

/**
 * A plain-text protocol session (SMTP, IMAP, POP3) over a real socket, with STARTTLS upgrade,
 * so tests can check exactly what the server answers to each command.
 */
public final class LineClient implements AutoCloseable {
    private Socket socket;
    private BufferedReader in;
    private OutputStream out;

    private LineClient(Socket socket) throws IOException {
        attach(socket);
    }

    public static LineClient connect(int port) {
        try {
            Socket socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(15_000);
            return new LineClient(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static LineClient connectTls(int port) {
        try {
            Socket socket = TrustAllTls.socketFactory().createSocket("127.0.0.1", port);
            socket.setSoTimeout(15_000);
            ((SSLSocket) socket).startHandshake();
            return new LineClient(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Connects from a given local address (any of 127.0.0.0/8 works on loopback), to act as a distinct client: a
     * guesser, a trusted device, a hostile host.
     */
    public static LineClient connectFrom(String sourceAddress, int port, boolean implicitTls) {
        return connectFrom(sourceAddress, "127.0.0.1", port, implicitTls);
    }

    /** {@link #connectFrom(String, int, boolean)} to a server listening on another loopback address. */
    public static LineClient connectFrom(String sourceAddress, String serverAddress, int port, boolean implicitTls) {
        try {
            Socket plain = new Socket();
            plain.bind(new InetSocketAddress(sourceAddress, 0));
            plain.connect(new InetSocketAddress(serverAddress, port), 15_000);
            plain.setSoTimeout(15_000);
            if (!implicitTls) {
                return new LineClient(plain);
            }
            SSLSocket tls = (SSLSocket) TrustAllTls.socketFactory().createSocket(plain, serverAddress, port, true);
            tls.startHandshake();
            return new LineClient(tls);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one line (without CRLF). */
    public String readLine() {
        try {
            String line = in.readLine();
            if (line == null) {
                throw new IOException("Connection closed by server");
            }
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads an SMTP reply, multi-line included; returns the last line (code and text). */
    public String readSmtpReply() {
        StringBuilder all = new StringBuilder();
        String line;
        do {
            line = readLine();
            all.append(line).append('\n');
        } while (line.length() > 3 && line.charAt(3) == '-');
        return all.toString().trim();
    }

    /** Reads IMAP lines until the tagged response of {@code tag}; returns everything read. */
    public String readImapUntilTagged(String tag) {
        StringBuilder all = new StringBuilder();
        String line;
        do {
            line = readLine();
            all.append(line).append('\n');
        } while (!line.startsWith(tag + " "));
        return all.toString().trim();
    }

    public LineClient send(String line) {
        try {
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends bytes exactly as given (no CRLF added), to test what the server does with malformed input. */
    public LineClient sendRaw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String smtp(String command) {
        send(command);
        return readSmtpReply();
    }

    /** Upgrades the connection to TLS after the server accepted STARTTLS/STLS. */
    public void upgradeToTls() {
        try {
            SSLSocket tls = (SSLSocket) TrustAllTls.socketFactory()
                    .createSocket(socket, socket.getInetAddress().getHostAddress(), socket.getPort(), true);
            tls.startHandshake();
            attach(tls);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void attach(Socket s) throws IOException {
        socket = s;
        in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
        out = s.getOutputStream();
    }

    /** The underlying socket (to reset the connection, or to write bytes that are not lines). */
    public Socket socket() {
        return socket;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
