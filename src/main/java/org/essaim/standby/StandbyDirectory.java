package org.essaim.standby;

import java.util.List;

/**
 * What a standby needs of its primary to accept mail like it: the domains, every account with its public key
 * (armored, none while its owner has not published one) and every alias. No password hash, no private data.
 */
public record StandbyDirectory(List<String> domains, List<Account> accounts, List<Alias> aliases) {

    public record Account(String address, String publicKey) { }

    public record Alias(String alias, String account) { }
}
