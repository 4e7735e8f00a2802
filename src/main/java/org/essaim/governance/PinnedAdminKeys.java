package org.essaim.governance;

import java.util.List;
import java.util.Optional;

import org.essaim.accounts.AccountRoles;
import org.springframework.stereotype.Service;

/**
 * Every admin's pinned signing certificate (docs/audit.md), for features that must reach the admins with keys
 * a stolen password cannot swap: backups are encrypted to these.
 */
@Service
public class PinnedAdminKeys {
    private final AdminSigningKeys pins;
    private final AccountRoles roles;

    PinnedAdminKeys(AdminSigningKeys pins, AccountRoles roles) {
        this.pins = pins;
        this.roles = roles;
    }

    /** An admin's pinned certificate (binary). */
    public record PinnedKey(String address, String fingerprint, byte[] certificate) { }

    /** The pinned keys of the current admins; admins without a pinned key are left out. */
    public List<PinnedKey> all() {
        return roles.admins().stream()
                .map(pins::pinOf)
                .flatMap(Optional::stream)
                .map(pin -> new PinnedKey(pin.address(), pin.fingerprint(), pin.binary()))
                .toList();
    }
}
