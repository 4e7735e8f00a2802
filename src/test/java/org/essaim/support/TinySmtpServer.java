package org.essaim.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * The smallest SMTP server a test needs to stand in for "some other mail server": EHLO (announcing STARTTLS when
 * it has a TLS context), STARTTLS, MAIL, RCPT, DATA, RSET, NOOP, QUIT; every message is accepted and kept in
 * memory with whether it came over TLS. One connection at a time is plenty for a test.
 */
public final class TinySmtpServer implements AutoCloseable {
    private final ServerSocket server;
    private final SSLContext tls;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    public record Received(String data, boolean overTls) {
    }

    private TinySmtpServer(ServerSocket server, SSLContext tls) {
        this.server = server;
        this.tls = tls;
        this.acceptor = new Thread(this::serve, "tiny-smtp");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Listens on address:port; {@code tls} null means no STARTTLS offered. */
    public static TinySmtpServer on(String address, int port, SSLContext tls) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getByName(address), port));
        return new TinySmtpServer(socket, tls);
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket client = server.accept()) {
                client.setSoTimeout(30_000);
                converse(client);
            } catch (IOException e) {
                // next connection
            }
        }
    }

    private void converse(Socket socket) throws IOException {
        Socket current = socket;
        boolean overTls = false;
        BufferedReader in = reader(current);
        OutputStream out = current.getOutputStream();
        reply(out, "220 tiny.test ESMTP");
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String command = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
            switch (command) {
                case "EHLO" -> reply(out, tls != null && !overTls
                        ? "250-tiny.test\r\n250-8BITMIME\r\n250 STARTTLS" : "250-tiny.test\r\n250 8BITMIME");
                case "HELO" -> reply(out, "250 tiny.test");
                case "STAR" -> {
                    if (tls == null || overTls) {
                        reply(out, "502 5.5.1 not here");
                        continue;
                    }
                    reply(out, "220 2.0.0 go ahead");
                    SSLSocket secured = (SSLSocket) tls.getSocketFactory().createSocket(current,
                            current.getInetAddress().getHostAddress(), current.getPort(), true);
                    secured.setUseClientMode(false);
                    secured.startHandshake();
                    current = secured;
                    overTls = true;
                    in = reader(current);
                    out = current.getOutputStream();
                }
                case "DATA" -> {
                    reply(out, "354 go on");
                    StringBuilder data = new StringBuilder();
                    for (String d = in.readLine(); d != null && !d.equals("."); d = in.readLine()) {
                        data.append(d.startsWith("..") ? d.substring(1) : d).append("\r\n");
                    }
                    received.add(new Received(data.toString(), overTls));
                    reply(out, "250 2.0.0 kept");
                }
                case "QUIT" -> {
                    reply(out, "221 bye");
                    return;
                }
                default -> reply(out, "250 ok"); // MAIL, RCPT, RSET, NOOP
            }
        }
    }

    private static BufferedReader reader(Socket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
