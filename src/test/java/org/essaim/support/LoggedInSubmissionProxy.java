package org.essaim.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import javax.net.ssl.SSLSocket;

/**
 * Lets a load generator that cannot log in (Postfix's {@code smtp-source}: no STARTTLS, no AUTH) send through
 * Essaim's submission port: for each connection it accepts on a loopback port, it opens a submission session of its
 * own (EHLO, STARTTLS, AUTH PLAIN as one account), answers the client's HELO/EHLO itself, then copies bytes both
 * ways untouched. What reaches Essaim is exactly an authenticated client's session; the proxy adds one local hop.
 */
public final class LoggedInSubmissionProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final String host;
    private final int port;
    private final String user;
    private final String password;

    private LoggedInSubmissionProxy(String host, int port, String user, String password) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        Thread acceptor = new Thread(this::acceptAll, "submission-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A proxy to Essaim's submission port at host:port, logged in as user. */
    public static LoggedInSubmissionProxy to(String host, int port, String user, String password) throws IOException {
        return new LoggedInSubmissionProxy(host, port, user, password);
    }

    /** Where the load generator connects: {@code 127.0.0.1:<port>}. */
    public String address() {
        return listener.getInetAddress().getHostAddress() + ":" + listener.getLocalPort();
    }

    private void acceptAll() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Thread session = new Thread(() -> serve(client), "submission-proxy-session");
                session.setDaemon(true);
                session.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client) {
        try (client; Socket plain = new Socket(host, port)) {
            InputStream in = plain.getInputStream();
            OutputStream out = plain.getOutputStream();
            expect(in, "220");
            command(out, "EHLO proxy.test");
            expect(in, "250");
            command(out, "STARTTLS");
            expect(in, "220");
            try (SSLSocket tls = (SSLSocket) TrustAllTls.socketFactory().createSocket(plain, host, port, true)) {
                tls.startHandshake();
                InputStream tlsIn = tls.getInputStream();
                OutputStream tlsOut = tls.getOutputStream();
                command(tlsOut, "EHLO proxy.test");
                expect(tlsIn, "250");
                String token = Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
                // Essaim throttles logins (454 "try again in N seconds" while several arrive at once): wait as a client would
                for (int attempt = 1; ; attempt++) {
                    command(tlsOut, "AUTH PLAIN " + token);
                    String reply = reply(tlsIn);
                    if (reply.startsWith("235")) {
                        break;
                    }
                    if (!reply.startsWith("454") || attempt == 30) {
                        throw new IOException("expected 235, got " + reply);
                    }
                    Thread.sleep(2_000);
                }

                OutputStream toClient = client.getOutputStream();
                InputStream fromClient = client.getInputStream();
                toClient.write("220 proxy.test ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
                toClient.flush();
                String hello = line(fromClient);
                if (!hello.regionMatches(true, 0, "HELO", 0, 4) && !hello.regionMatches(true, 0, "EHLO", 0, 4)) {
                    throw new IOException("expected HELO/EHLO from the client, got " + hello);
                }
                toClient.write("250 proxy.test\r\n".getBytes(StandardCharsets.US_ASCII));
                toClient.flush();
                Thread back = new Thread(() -> copy(tlsIn, toClient), "submission-proxy-replies");
                back.setDaemon(true);
                back.start();
                copy(fromClient, tlsOut);
                back.join(10_000);
            }
        } catch (IOException | InterruptedException e) {
            System.err.println("submission proxy: " + e);
        }
    }

    private static void copy(InputStream from, OutputStream to) {
        byte[] buffer = new byte[16 * 1024];
        try {
            for (int n; (n = from.read(buffer)) >= 0; ) {
                to.write(buffer, 0, n);
                to.flush();
            }
        } catch (IOException e) {
            // the other side closed
        }
    }

    private static void command(OutputStream out, String command) throws IOException {
        out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Reads one (possibly multi-line) reply byte by byte (nothing buffered past it: STARTTLS follows). */
    private static void expect(InputStream in, String code) throws IOException {
        String line;
        do {
            line = line(in);
            if (!line.startsWith(code)) {
                throw new IOException("expected " + code + ", got " + line);
            }
        } while (line.length() > 3 && line.charAt(3) == '-');
    }

    /** One (possibly multi-line) reply; its last line. */
    private static String reply(InputStream in) throws IOException {
        String line;
        do {
            line = line(in);
        } while (line.length() > 3 && line.charAt(3) == '-');
        return line;
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new IOException("connection closed");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
