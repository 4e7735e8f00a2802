package org.essaim.webmail.composing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import elemental.json.JsonArray;
import elemental.json.JsonObject;

/**
 * What the browser hands over to send a message: the armored ciphertext (to every recipient with a key and to
 * the sender), the encrypted subject, the date written in the inner headers, and, only when the user confirmed
 * it for recipients without a key, the clear MIME for those recipients. Each Bcc recipient with a key has a copy
 * of their own ({@link BccCopy}), so that the others' copy does not name their key.
 */
public record OutgoingCiphertext(String armored, String encryptedSubject, Instant date, byte[] clearMime,
        List<String> clearRecipients, List<BccCopy> bccCopies) {

    /** The same message encrypted to one Bcc recipient (and the sender) only. */
    public record BccCopy(String address, String armored, String encryptedSubject) {
        static List<BccCopy> listOf(JsonArray copies) {
            List<BccCopy> list = new ArrayList<>();
            for (int i = 0; copies != null && i < copies.length(); i++) {
                JsonObject copy = copies.getObject(i);
                list.add(new BccCopy(copy.getString("address"), ArmoredCiphertext.message(copy.getString("armored")),
                        ArmoredCiphertext.subject(copy.getString("encryptedSubject"))));
            }
            return List.copyOf(list);
        }
    }

    static OutgoingCiphertext of(String armored, String encryptedSubject, String clearMime, String clearRecipients,
            String dateMillis, List<BccCopy> bccCopies) {
        List<String> clear = clearRecipients == null || clearRecipients.isBlank() ? List.of()
                : Arrays.stream(clearRecipients.split(",")).map(String::trim).filter(a -> !a.isEmpty()).toList();
        byte[] clearBytes = clearMime == null || clearMime.isEmpty() ? null : clearMime.getBytes(StandardCharsets.UTF_8);
        if (clear.isEmpty() != (clearBytes == null)) {
            throw new IllegalArgumentException("A clear copy needs its recipients, and the other way round; nothing was sent.");
        }
        return new OutgoingCiphertext(ArmoredCiphertext.message(armored), ArmoredCiphertext.subject(encryptedSubject),
                ArmoredCiphertext.date(dateMillis), clearBytes, clear, bccCopies);
    }
}
