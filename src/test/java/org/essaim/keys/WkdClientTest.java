package org.essaim.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.essaim.crypto.ValidatedCertificate;
import org.essaim.crypto.WkdHash;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

/**
 * The WKD client against a real HTTP server on loopback that plays a remote domain's Web Key Directory, serving
 * keys made by real GnuPG (binary, as WKD serves them).
 */
class WkdClientTest {
    static final String ADA = "Ada.Lovelace@remote.example";
    static final String EVE = "eve@remote.example";

    @TempDir
    static Path work;
    static GpgHome gpg;
    static HttpServer server;
    static final Map<String, byte[]> served = new ConcurrentHashMap<>();
    static byte[] adasKey;
    static String adasFingerprint;

    @BeforeAll
    static void start() throws IOException {
        gpg = GpgHome.create(work, "remote");
        adasFingerprint = gpg.generateKey("Ada <" + ADA + ">");
        gpg.generateKey("Eve <" + EVE + ">");
        adasKey = gpg.gpgBytes(null, "--export", ADA).stdout();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = served.get(exchange.getRequestURI().toString());
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
        gpg.close();
    }

    @BeforeEach
    void clear() {
        served.clear();
    }

    WkdClient client() {
        return new WkdClient("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    static String hashQuery(String localPart) {
        return WkdHash.ofLocalPart(localPart) + "?l=" + localPart;
    }

    @Test
    void aKeyPublishedByTheAdvancedMethodIsFoundAndValidatedForTheAddress() {
        served.put("/.well-known/openpgpkey/remote.example/hu/" + hashQuery("Ada.Lovelace"), adasKey);

        ValidatedCertificate found = client().find(ADA).orElseThrow();

        assertThat(found.fingerprint()).isEqualToIgnoringCase(adasFingerprint);
        assertThat(found.armored()).contains("BEGIN PGP PUBLIC KEY BLOCK");
    }

    @Test
    void theDirectMethodIsTriedWhenTheAdvancedOneHasNothing() {
        served.put("/.well-known/openpgpkey/hu/" + hashQuery("Ada.Lovelace"), adasKey);

        assertThat(client().find(ADA)).map(ValidatedCertificate::fingerprint).get().asString()
                .isEqualToIgnoringCase(adasFingerprint);
    }

    @Test
    void aKeyWithoutAUserIdForTheAddressIsNoKey() {
        // The remote directory hands out Ada's key for Eve's hash: it must not be used to encrypt to Eve.
        served.put("/.well-known/openpgpkey/remote.example/hu/" + hashQuery("eve"), adasKey);

        assertThat(client().find(EVE)).isEmpty();
    }

    @Test
    void garbageAndUnreachableDirectoriesAreNoKeyWithoutWaitingLong() {
        served.put("/.well-known/openpgpkey/remote.example/hu/" + hashQuery("Ada.Lovelace"),
                "<html>not a key</html>".getBytes(StandardCharsets.UTF_8));
        assertThat(client().find(ADA)).isEmpty();

        long started = System.nanoTime();
        assertThat(new WkdClient("http://127.0.0.1:1").find(ADA)).isEmpty();
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(12_000);
        assertThat(client().find("not-an-address")).isEmpty();
    }
}
