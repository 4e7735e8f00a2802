package org.essaim.keys;

import java.time.Instant;

/**
 * An account's published public key, as validated at upload.
 *
 * @param address     lower-case mail address of the account
 * @param fingerprint upper-case hex fingerprint of the primary key
 * @param armored     ASCII-armored certificate
 * @param binary      the same certificate, binary
 */
public record StoredKey(String address, String fingerprint, String armored, byte[] binary, Instant uploadedAt) {
}
