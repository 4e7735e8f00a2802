package org.essaim.support;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.james.core.MailAddress;
import org.essaim.delivery.RecipientKeys;

/**
 * Stands in for the public key directory (package keys, being built on another branch) until it lands on main:
 * the certificates tests publish, handed to the SMTP hooks through the same {@link RecipientKeys} door the
 * directory will use. Once PublicKeyDirectory exists, {@link EssaimInstance#publishKey} calls it instead and this
 * class goes away.
 */
final class StandInKeyDirectory implements RecipientKeys {
    private final Map<String, byte[]> keys = new ConcurrentHashMap<>();

    void publish(String address, byte[] certificate) {
        keys.put(address.toLowerCase(Locale.ROOT), certificate.clone());
    }

    @Override
    public Optional<byte[]> publicKeyOf(MailAddress recipient) {
        return Optional.ofNullable(keys.get(recipient.asString().toLowerCase(Locale.ROOT)));
    }
}
