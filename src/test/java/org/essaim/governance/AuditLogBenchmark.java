package org.essaim.governance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.essaim.keys.GpgHome;
import org.essaim.support.EssaimInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * How long signed actions and verification take: 50 statements built with jq and signed with gpg, sent one after
 * the other (server time per POST measured), then 2 000 server entries, then the whole chain verified with
 * {@code audit verify --url} and with docs/audit-verify.sh.
 * Run on demand: {@code mvn -B -o test -Dtest=AuditLogBenchmark -Dessaim.benchmark=true}
 */
@EnabledIfSystemProperty(named = "essaim.benchmark", matches = "true")
class AuditLogBenchmark {
    static final int SIGNED = 50;
    static final int SERVER_ENTRIES = 2000;

    @TempDir
    Path work;

    @Test
    void signedActionsAndVerification() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        ObjectMapper json = new ObjectMapper();
        String auth = "Basic " + Base64.getEncoder().encodeToString(
                (EssaimInstance.ADMIN + ":" + EssaimInstance.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
        try (EssaimInstance essaim = EssaimInstance.start(work.resolve("data"));
             GpgHome gpg = GpgHome.create(work, "admin")) {
            String key = gpg.generateKey("Admin <" + EssaimInstance.ADMIN + ">");
            gpg.gpg("--quick-add-key", key, "ed25519", "sign", "0");
            http.send(HttpRequest.newBuilder(URI.create(essaim.baseUrl() + "/api/keys/me")).header("Authorization", auth)
                    .PUT(BodyPublishers.ofByteArray(gpg.exportArmored(key))).build(), BodyHandlers.ofString());
            essaim.bean(org.essaim.mailserver.MailServerBridge.class).createAccount("bob@essaim.test", "a long private passphrase");

            List<Double> post = new ArrayList<>();
            String head = essaim.bean(AuditLog.class).headHash();
            for (int i = 0; i < SIGNED; i++) {
                byte[] statement = SignedAdminActionsTest.statement("quota.set",
                        Map.of("address", "bob@essaim.test", "limitBytes", Long.toString(1_000_000L + i)),
                        EssaimInstance.ADMIN, head);
                byte[] signature = gpg.gpgBytes(statement, "--local-user", key, "--detach-sign", "--armor").stdout();
                String body = json.writeValueAsString(Map.of("statement", new String(statement, StandardCharsets.UTF_8),
                        "signature", new String(signature, StandardCharsets.UTF_8)));
                long start = System.nanoTime();
                var response = http.send(HttpRequest.newBuilder(URI.create(essaim.baseUrl() + "/api/admin/actions"))
                        .header("Authorization", auth).header("Content-Type", "application/json")
                        .POST(BodyPublishers.ofString(body)).build(), BodyHandlers.ofString());
                post.add((System.nanoTime() - start) / 1e6);
                assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
                head = json.readTree(response.body()).get("head").asText();
            }
            ServerEntries server = essaim.bean(ServerEntries.class);
            long appendStart = System.nanoTime();
            for (int i = 0; i < SERVER_ENTRIES; i++) {
                server.append("server.benchmark", Map.of("n", Integer.toString(i)));
            }
            double appendMs = (System.nanoTime() - appendStart) / 1e6;
            long total = essaim.bean(AuditLog.class).head().orElseThrow().seq();

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            long verifyStart = System.nanoTime();
            int exit = AuditCommand.verifyOverHttp(essaim.baseUrl(), EssaimInstance.ADMIN, EssaimInstance.ADMIN_PASSWORD,
                    new PrintStream(out), new PrintStream(out));
            double verifyMs = (System.nanoTime() - verifyStart) / 1e6;
            assertThat(exit).as(out.toString(StandardCharsets.UTF_8)).isZero();

            ProcessBuilder script = new ProcessBuilder("sh", Path.of("docs/audit-verify.sh").toAbsolutePath().toString())
                    .redirectErrorStream(true);
            script.environment().put("BASE", essaim.baseUrl());
            script.environment().put("AUTH", EssaimInstance.ADMIN + ":" + EssaimInstance.ADMIN_PASSWORD);
            long scriptStart = System.nanoTime();
            Process process = script.start();
            String scriptOut = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor()).as(scriptOut).isZero();
            double scriptMs = (System.nanoTime() - scriptStart) / 1e6;

            Collections.sort(post);
            System.out.printf("AUDIT BENCHMARK: %d signed POSTs: median %.1f ms, max %.1f ms; %d server appends: %.2f ms each;"
                            + " audit verify --url over %d entries (%d signed): %.0f ms; audit-verify.sh: %.0f ms (%s)%n",
                    SIGNED, post.get(SIGNED / 2), post.get(SIGNED - 1), SERVER_ENTRIES, appendMs / SERVER_ENTRIES,
                    total, SIGNED, verifyMs, scriptMs, scriptOut.strip());
        }
    }
}
