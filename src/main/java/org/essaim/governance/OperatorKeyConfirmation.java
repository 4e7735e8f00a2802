package org.essaim.governance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

import org.essaim.admin.AdminActionException;
import org.essaim.config.EssaimProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The lost-key path for a collective with a single admin, where nobody else can confirm a new key: the
 * operator writes {@value #FILE} into the data directory ("address fingerprint", one line) and restarts. At start
 * the server makes that key (which the directory must publish) the admin's signing key and appends an
 * {@code admin.key.repinned} server entry that says the operator did it; the file is then removed (renamed to
 * {@code .refused}, with the reason in the server log, when refused). Nobody holds emergency powers: whoever can
 * write the data directory could do anything, and this way what they did is in the public log.
 */
@Component
@Order(Ordered.LOWEST_PRECEDENCE) // after ConfigurationRecorder wrote the genesis entry of a new log
class OperatorKeyConfirmation implements ApplicationRunner {
    static final String FILE = "confirm-admin-key";
    private static final Logger LOGGER = LoggerFactory.getLogger(OperatorKeyConfirmation.class);

    private final Path file;
    private final SigningKeyPins signingKeys;
    private final AuditLog log;

    OperatorKeyConfirmation(EssaimProperties properties, SigningKeyPins signingKeys, AuditLog log) {
        this.file = properties.absoluteDataDir().resolve(FILE);
        this.signingKeys = signingKeys;
        this.log = log;
    }

    @Override
    public void run(ApplicationArguments args) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        String[] words = Files.readString(file, StandardCharsets.UTF_8).strip().split("\\s+");
        try {
            if (words.length != 2) {
                throw new AdminActionException(FILE + " must hold one line: the admin's address and the new key's "
                        + "fingerprint, separated by a space.");
            }
            synchronized (log) {
                signingKeys.repinByOperator(words[0].toLowerCase(Locale.ROOT), words[1]);
            }
            Files.delete(file);
            LOGGER.warn("Operator step: signing key of {} is now {} (audit log entry {})", words[0], words[1],
                    log.head().map(AuditEntry::seq).orElse(0L));
        } catch (AdminActionException | RefusedStatementException refused) {
            Files.move(file, file.resolveSibling(FILE + ".refused"), StandardCopyOption.REPLACE_EXISTING);
            LOGGER.error("Operator step {} refused: {}", FILE, refused.getMessage());
        }
    }
}
