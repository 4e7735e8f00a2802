package org.essaim.standby;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.essaim.accounts.AccountRoles;
import org.essaim.config.EssaimProperties;
import org.essaim.keys.PublicKeyDirectory;
import org.essaim.keys.StoredKey;
import org.essaim.mailserver.MailServerBridge;
import org.essaim.mailserver.MailboxTransfer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * A standby's regular work ({@code essaim.role=standby}, every {@code essaim.standby.sync-seconds}):
 * <ol>
 * <li>keeps its accounts, aliases and public keys equal to the primary's, so it accepts mail for exactly the same
 * addresses and encrypts it on arrival to the same keys (its accounts get random passwords nobody knows: nobody
 * logs in to a standby);</li>
 * <li>hands every message it holds over to the primary, each under a stable id (so a retry after a lost answer
 * stores nothing twice), and deletes it once the primary has it.</li>
 * </ol>
 * While the primary is down both steps wait for the next round; mail keeps arriving meanwhile.
 */
@Component
class StandbySync {
    private static final Logger LOGGER = LoggerFactory.getLogger(StandbySync.class);
    private static final int BATCH = 50;

    private final EssaimProperties settings;
    private final PrimaryClient primary;
    private final MailServerBridge mailServer;
    private final PublicKeyDirectory keys;
    private final AccountRoles roles;
    private final MailboxTransfer transfer;
    private final SecureRandom random = new SecureRandom();
    private volatile boolean primaryReachable = true;
    private volatile String lastState = "";

    StandbySync(EssaimProperties settings, PrimaryClient primary, MailServerBridge mailServer, PublicKeyDirectory keys,
                AccountRoles roles, MailboxTransfer transfer) {
        this.transfer = transfer;
        this.settings = settings;
        this.primary = primary;
        this.mailServer = mailServer;
        this.keys = keys;
        this.roles = roles;
    }

    @Scheduled(fixedDelayString = "${essaim.standby.sync-seconds:60}", initialDelay = 1, timeUnit = TimeUnit.SECONDS)
    void round() {
        if (!settings.isStandby()) {
            return;
        }
        try {
            syncDirectory(primary.directory());
            int handedOver = handOver();
            if (!primaryReachable) {
                LOGGER.info("The primary answers again");
            }
            primaryReachable = true;
            if (handedOver > 0) {
                LOGGER.info("Standby: handed {} held messages over to the primary", handedOver);
            }
        } catch (IOException e) {
            if (primaryReachable) {
                LOGGER.warn("Standby: the primary does not answer ({}); holding the mail that arrives", e.getMessage());
            }
            primaryReachable = false;
        }
    }

    void syncDirectory(StandbyDirectory directory) {
        directory.domains().forEach(mailServer::addDomain);
        Set<String> local = Set.copyOf(mailServer.accounts());
        for (StandbyDirectory.Account account : directory.accounts()) {
            if (!local.contains(account.address())) {
                mailServer.createAccount(account.address(), unguessablePassword());
            }
            String published = keys.find(account.address()).map(StoredKey::armored).orElse(null);
            if (account.publicKey() == null) {
                if (published != null) {
                    keys.withdraw(account.address());
                }
            } else if (!Objects.equals(published, account.publicKey())) {
                keys.publish(account.address(), account.publicKey().getBytes(StandardCharsets.US_ASCII));
            }
        }
        Set<String> onPrimary = directory.accounts().stream().map(StandbyDirectory.Account::address).collect(Collectors.toSet());
        for (String account : local) {
            if (!onPrimary.contains(account) && !roles.isAdmin(account) && holdsNothing(account)) {
                mailServer.deleteAccount(account);
            }
        }
        Map<String, List<String>> wanted = new HashMap<>();
        directory.aliases().forEach(alias -> wanted.computeIfAbsent(alias.account(), a -> new ArrayList<>()).add(alias.alias()));
        for (String account : mailServer.accounts()) {
            List<String> current = mailServer.aliasesOf(account);
            List<String> target = wanted.getOrDefault(account, List.of());
            target.stream().filter(alias -> !current.contains(alias)).forEach(alias -> mailServer.addAlias(alias, account));
            current.stream().filter(alias -> !target.contains(alias)).forEach(alias -> mailServer.removeAlias(alias, account));
        }
        String state = directory.accounts().size() + " accounts, " + directory.aliases().size() + " aliases, "
                + directory.accounts().stream().filter(a -> a.publicKey() != null).count() + " keys";
        if (!state.equals(lastState)) {
            LOGGER.info("Standby in step with the primary: {}", state);
            lastState = state;
        }
    }

    /** Every held message of every folder (INBOX, and Spam where the spam check filed some), folder kept. */
    private int handOver() throws IOException {
        int handedOver = 0;
        for (String account : mailServer.accounts()) {
            for (String folder : transfer.folders(account)) {
                handedOver += handOver(account, folder);
            }
        }
        return handedOver;
    }

    private int handOver(String account, String folder) throws IOException {
        int handedOver = 0;
        List<MailServerBridge.StoredMessage> held;
        while (!(held = mailServer.folderMessages(account, folder, BATCH)).isEmpty()) {
            List<Long> delivered = new ArrayList<>();
            for (MailServerBridge.StoredMessage message : held) {
                String id = settings.effectiveHostname() + "/" + account + "/" + folder + "/" + message.uidValidity()
                        + "/" + message.uid();
                if (primary.deliver(account, folder, id, message.internalDate(), message.content())) {
                    delivered.add(message.uid());
                }
            }
            if (!delivered.isEmpty()) {
                mailServer.deleteFromFolder(account, folder, delivered);
                handedOver += delivered.size();
            }
            if (delivered.size() < held.size()) {
                LOGGER.warn("Standby: the primary did not take {} messages for {}; kept for the next round",
                        held.size() - delivered.size(), account);
                break;
            }
        }
        return handedOver;
    }

    private boolean holdsNothing(String account) {
        return transfer.folders(account).stream().allMatch(folder -> mailServer.folderMessages(account, folder, 1).isEmpty());
    }

    private String unguessablePassword() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
