package org.essaim.webmail.composing;

import java.time.Instant;

/** A draft as the browser hands it over: encrypted to the sender only, with its encrypted subject. */
public record DraftCiphertext(String armored, String encryptedSubject, Instant date) {
    static DraftCiphertext of(String armored, String encryptedSubject, String dateMillis) {
        return new DraftCiphertext(ArmoredCiphertext.message(armored), ArmoredCiphertext.subject(encryptedSubject),
                ArmoredCiphertext.date(dateMillis));
    }
}
