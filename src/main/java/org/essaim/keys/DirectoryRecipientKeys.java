package org.essaim.keys;

import java.util.Optional;

import org.essaim.delivery.RecipientKeys;
import org.springframework.stereotype.Component;

/** Lends the public key directory to the mail server: delivery encrypts to the keys published here. */
@Component
class DirectoryRecipientKeys implements RecipientKeys {
    private final PublicKeyDirectory directory;

    DirectoryRecipientKeys(PublicKeyDirectory directory) {
        this.directory = directory;
    }

    @Override
    public Optional<byte[]> publicKeyOf(String address) {
        return directory.find(address).map(StoredKey::binary);
    }
}
