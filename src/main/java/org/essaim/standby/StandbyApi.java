package org.essaim.standby;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.essaim.backup.BackupDirectory;
import org.essaim.keys.PublicKeyDirectory;
import org.essaim.keys.StoredKey;
import org.essaim.mailserver.MailServerBridge;
import org.essaim.mailserver.MailServerException;
import org.essaim.mailserver.MailboxTransfer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.InputStreamResource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The primary's side of a standby (docs/standby.md), for requests carrying the shared token only:
 * <ul>
 * <li>{@code GET /api/standby/directory}: domains, accounts with their public keys, aliases;</li>
 * <li>{@code POST /api/standby/deliver?recipient=&folder=&id=&received=}: a message the standby held (ciphertext, as
 * it stored it) goes into the recipient's folder (INBOX, or Spam where the standby's spam check put it), once per id;</li>
 * <li>{@code GET /api/standby/backups/latest}: the newest encrypted backup (the standby cannot read it without a
 * key it is encrypted to).</li>
 * </ul>
 */
@RestController
@RequestMapping("/api/standby")
class StandbyApi {
    private static final Logger LOGGER = LoggerFactory.getLogger(StandbyApi.class);
    static final String BACKUP_FILE_HEADER = "Essaim-Backup-File";
    static final String BACKUP_SHA256_HEADER = "Essaim-Backup-Sha256";

    private final StandbyToken token;
    private final MailServerBridge mailServer;
    private final PublicKeyDirectory keys;
    private final StandbyDeliveries deliveries;
    private final BackupDirectory backups;
    private final MailboxTransfer transfer;

    StandbyApi(StandbyToken token, MailServerBridge mailServer, PublicKeyDirectory keys, StandbyDeliveries deliveries,
               BackupDirectory backups, MailboxTransfer transfer) {
        this.transfer = transfer;
        this.token = token;
        this.mailServer = mailServer;
        this.keys = keys;
        this.deliveries = deliveries;
        this.backups = backups;
    }

    @GetMapping("/directory")
    ResponseEntity<?> directory(@RequestHeader(value = StandbyToken.HEADER, required = false) String authorization) {
        if (!token.accepts(authorization)) {
            return refused();
        }
        List<StandbyDirectory.Account> accounts = new ArrayList<>();
        List<StandbyDirectory.Alias> aliases = new ArrayList<>();
        for (String account : mailServer.accounts()) {
            accounts.add(new StandbyDirectory.Account(account, keys.find(account).map(StoredKey::armored).orElse(null)));
            mailServer.aliasesOf(account).forEach(alias -> aliases.add(new StandbyDirectory.Alias(alias, account)));
        }
        return ResponseEntity.ok(new StandbyDirectory(mailServer.domains(), accounts, aliases));
    }

    @PostMapping("/deliver")
    synchronized ResponseEntity<?> deliver(@RequestHeader(value = StandbyToken.HEADER, required = false) String authorization,
                                           @RequestParam String recipient,
                                           @RequestParam(defaultValue = "INBOX") String folder, @RequestParam String id,
                                           @RequestParam long received, HttpServletRequest request) throws IOException {
        if (!token.accepts(authorization)) {
            return refused();
        }
        if (deliveries.contains(id)) {
            return ResponseEntity.ok(Map.of("result", "already delivered"));
        }
        if (!mailServer.accountExists(recipient)) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "No account " + recipient));
        }
        byte[] message;
        try (InputStream in = request.getInputStream()) {
            message = in.readAllBytes();
        }
        try {
            // Stored first, recorded next: a crash in between can give a duplicate on the retry, never a loss.
            if (folder.equalsIgnoreCase("INBOX")) {
                mailServer.appendToInbox(recipient, message, new Date(received));
            } else {
                transfer.append(recipient, folder, message, java.util.Set.of(), new Date(received)); // e.g. Spam
            }
        } catch (MailServerException e) {
            LOGGER.warn("A message from the standby for {} could not be stored: {}", recipient, e.getMessage());
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(Map.of("error", e.getMessage()));
        }
        deliveries.record(id);
        LOGGER.info("Stored a message the standby held for {}", recipient);
        return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("result", "stored"));
    }

    @GetMapping("/backups/latest")
    ResponseEntity<?> latestBackup(@RequestHeader(value = StandbyToken.HEADER, required = false) String authorization)
            throws IOException {
        if (!token.accepts(authorization)) {
            return refused();
        }
        for (BackupDirectory.Listed backup : backups.list()) {
            if (backup.record().filter(record -> record.restoreTest().passed()).isEmpty()) {
                continue;
            }
            return ResponseEntity.ok()
                    .header(BACKUP_FILE_HEADER, backup.file().getFileName().toString())
                    .header(BACKUP_SHA256_HEADER, backup.record().get().sha256())
                    .contentLength(Files.size(backup.file()))
                    .contentType(MediaType.APPLICATION_OCTET_STREAM)
                    .body(new InputStreamResource(Files.newInputStream(backup.file())));
        }
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "No verified backup yet"));
    }

    private static ResponseEntity<?> refused() {
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED).body(Map.of("error", "Not the standby's token"));
    }
}
