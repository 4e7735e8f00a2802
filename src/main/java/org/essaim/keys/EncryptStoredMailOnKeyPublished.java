package org.essaim.keys;

import org.essaim.mailserver.StoredPlaintextSweep;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Once an account has a key, the mail it holds in clear (appended before, or stored before Essaim encrypted
 * delivery) is encrypted right away, in the background, instead of at the next periodic sweep.
 */
@Component
class EncryptStoredMailOnKeyPublished {
    private final StoredPlaintextSweep sweep;

    EncryptStoredMailOnKeyPublished(StoredPlaintextSweep sweep) {
        this.sweep = sweep;
    }

    @TransactionalEventListener
    void onKeyPublished(KeyPublished event) {
        sweep.sweepSoon(event.address());
    }
}
