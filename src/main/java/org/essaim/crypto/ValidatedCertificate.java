package org.essaim.crypto;

import java.util.List;

/**
 * A public key (OpenPGP certificate) that passed {@link PublicKeyValidator}: exactly one primary key, no
 * secret material, re-encoded by Essaim (so what is published is what was checked, not the uploaded bytes), and
 * reduced to the user IDs of the account's address.
 *
 * @param fingerprint upper-case hex of the primary key's fingerprint
 * @param armored     ASCII-armored form ("-----BEGIN PGP PUBLIC KEY BLOCK-----")
 * @param binary      the same certificate in binary form (what WKD serves)
 * @param userIds     the validly self-signed user IDs of the account's address (the only ones kept)
 */
public record ValidatedCertificate(String fingerprint, String armored, byte[] binary, List<String> userIds) {
}
