package org.essaim.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.net.httpserver.HttpServer;

import org.essaim.crypto.WkdHash;

/**
 * Other domains' Web Key Directories, played by one loopback HTTP server per test JVM: the shared
 * {@link EssaimInstance} looks remote keys up here ({@code essaim.wkd.base-url}), as tests never reach the
 * internet. A test publishes a remote person's key with {@link #publish}; any other address gets 404, as from a
 * domain that has no key for it. Keys are served at the advanced method's path only.
 */
public final class WebKeyDirectories {
    private static WebKeyDirectories shared;

    private final HttpServer server;
    private final Map<String, byte[]> keysByPath = new ConcurrentHashMap<>();

    private WebKeyDirectories() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            byte[] key = keysByPath.get(exchange.getRequestURI().getPath());
            if (key != null) {
                exchange.sendResponseHeaders(200, key.length);
                exchange.getResponseBody().write(key);
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
            exchange.close();
        });
        server.start();
    }

    /** The JVM's one server, started on first use, stopped when the JVM exits. */
    public static synchronized WebKeyDirectories shared() {
        if (shared == null) {
            WebKeyDirectories started = new WebKeyDirectories();
            shared = started;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> started.server.stop(0), "wkd-fake-stop"));
        }
        return shared;
    }

    /** What to give Essaim as {@code essaim.wkd.base-url}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Serves a binary key for a remote address, as that address's domain would by WKD (advanced method). */
    public void publish(String address, byte[] binaryKey) {
        int at = address.indexOf('@');
        String localPart = address.substring(0, at);
        String domain = address.substring(at + 1).toLowerCase(java.util.Locale.ROOT);
        keysByPath.put("/.well-known/openpgpkey/" + domain + "/hu/" + WkdHash.ofLocalPart(localPart), binaryKey.clone());
    }
}
