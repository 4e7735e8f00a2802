package org.essaim.setup;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

import org.essaim.accounts.AccountRoles;
import org.essaim.support.EssaimInstance;
import org.essaim.support.OwnInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A first start that fails after the mail server created the bootstrap admin's account (a mail port already taken)
 * must not lock the collective out: the next start finishes that account as the first admin.
 */
@OwnInstance
class FirstAdminAfterAFailedStartTest {

    @TempDir
    Path dataDir;

    @Test
    void theBootstrapAdminIsStillMadeAdminWhenTheFirstStartFailedOnATakenPort() throws Exception {
        EssaimInstance essaim = EssaimInstance.unstarted(dataDir, Map.of());
        int taken = essaim.imapsPort();
        try (ServerSocket squatter = new ServerSocket(taken, 50, InetAddress.getLoopbackAddress())) {
            // The first start creates the account before binding, then fails on the taken port; EssaimInstance
            // starts again on the same data with other free ports, as an operator would after freeing the port.
            essaim.launch();
        }
        try {
            assertThat(essaim.imapsPort()).as("the first start failed on the taken port").isNotEqualTo(taken);
            assertThat(essaim.bean(AccountRoles.class).admins()).containsExactly(EssaimInstance.ADMIN);
            assertThat(adminApiStatus(essaim)).as("an admin-only request as the bootstrap admin").isEqualTo(200);
        } finally {
            essaim.close();
        }
    }

    private static int adminApiStatus(EssaimInstance essaim) throws Exception {
        String basic = Base64.getEncoder().encodeToString(
                (EssaimInstance.ADMIN + ":" + EssaimInstance.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(essaim.baseUrl() + "/api/admin/storage"))
                .header("Authorization", "Basic " + basic).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
