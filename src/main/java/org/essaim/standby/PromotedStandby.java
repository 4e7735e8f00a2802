package org.essaim.standby;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.essaim.config.EssaimProperties;
import org.essaim.governance.ServerLog;
import org.essaim.mailserver.MailServerBridge;
import org.essaim.mailserver.MailboxTransfer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The first start of a promoted standby ({@link StandbyCommand}): stores the mail the standby held into the
 * folders it was in and writes {@code standby.promoted} to the public log, then removes the hand-over files.
 */
@Component
class PromotedStandby {
    private static final Logger LOGGER = LoggerFactory.getLogger(PromotedStandby.class);

    private final EssaimProperties settings;
    private final MailServerBridge mailServer;
    private final ServerLog serverLog;
    private final MailboxTransfer transfer;

    PromotedStandby(EssaimProperties settings, MailServerBridge mailServer, ServerLog serverLog, MailboxTransfer transfer) {
        this.transfer = transfer;
        this.settings = settings;
        this.mailServer = mailServer;
        this.serverLog = serverLog;
    }

    @EventListener(ApplicationReadyEvent.class)
    void finishPromotion() throws IOException {
        Path dataDir = settings.absoluteDataDir();
        Path marker = dataDir.resolve(StandbyCommand.MARKER);
        if (!Files.exists(marker) || settings.isStandby()) {
            return;
        }
        ObjectMapper json = new ObjectMapper();
        int stored = storeHeldMail(dataDir.resolve(StandbyCommand.HELD), json);
        JsonNode promotion = json.readTree(marker.toFile());
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("backup", promotion.path("backup").asText());
        parameters.put("heldMessages", String.valueOf(stored));
        parameters.put("promotedAt", promotion.path("promotedAt").asText());
        parameters.put("hostname", settings.effectiveHostname());
        serverLog.append("standby.promoted", parameters);
        Files.delete(marker);
        LOGGER.info("This server is the promoted standby: {} held messages stored, standby.promoted logged", stored);
    }

    private int storeHeldMail(Path heldDir, ObjectMapper json) throws IOException {
        if (!Files.isDirectory(heldDir)) {
            return 0;
        }
        int stored = 0;
        try (Stream<Path> files = Files.list(heldDir)) {
            for (Path envelope : files.filter(file -> file.toString().endsWith(".json")).sorted().toList()) {
                Path message = Path.of(envelope.toString().replaceFirst("\\.json$", ".eml"));
                JsonNode fields = json.readTree(envelope.toFile());
                String folder = fields.path("folder").asText("INBOX");
                Date received = new Date(fields.path("received").asLong());
                if (folder.equalsIgnoreCase("INBOX")) {
                    mailServer.appendToInbox(fields.path("recipient").asText(), Files.readAllBytes(message), received);
                } else {
                    transfer.append(fields.path("recipient").asText(), folder, Files.readAllBytes(message), java.util.Set.of(), received);
                }
                // stored, then forgotten: a crash in between gives a duplicate at the next start, never a loss
                Files.delete(envelope);
                Files.delete(message);
                stored++;
            }
        }
        Files.delete(heldDir);
        return stored;
    }
}
