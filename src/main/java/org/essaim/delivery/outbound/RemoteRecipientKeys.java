package org.essaim.delivery.outbound;

import java.util.Optional;

/**
 * Where outbound delivery finds the OpenPGP certificate of a recipient at another domain: Essaim's own directory
 * first, then the recipient domain's Web Key Directory. The application implements it (package keys) and lends it
 * to James' injector, as it does for local recipients' keys.
 */
public interface RemoteRecipientKeys {

    /** The certificate (binary or armored) to encrypt to for this address, if one is found. */
    Optional<byte[]> publicKeyOf(String address);

    /** Finds nothing: mail leaves as its sender wrote it. */
    RemoteRecipientKeys NONE = address -> Optional.empty();
}
