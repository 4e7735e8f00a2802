package org.essaim.crypto;

/**
 * Tells ciphertext from text by how many different byte values a sample holds. Ciphertext is indistinguishable
 * from random bytes: a sample of n of them holds about 256·(1 − (255/256)^n) different values (162 for 256
 * bytes, 251 for 1 024). Text, even UTF-8 in a non-Latin script, uses far fewer (under 100 values for ASCII). A
 * sample of 128 bytes or more must reach three quarters of the random figure, a shorter one 60 %: real ciphertext
 * misses that with a probability below 10^-7 for the shortest samples, far less for longer ones (and is then only
 * encrypted once more: the safe side).
 * <p>
 * Used so that plaintext put inside a well-formed encryption envelope is not taken for encrypted mail.
 */
final class CiphertextLook {
    /** Below this, a sample tells too little; no real encrypted message has a smaller payload. */
    static final int MINIMUM_SAMPLE = 32;

    private CiphertextLook() {
    }

    static boolean isLikelyCiphertext(byte[] sample) {
        if (sample.length < MINIMUM_SAMPLE) {
            return false;
        }
        boolean[] seen = new boolean[256];
        int distinct = 0;
        for (byte b : sample) {
            if (!seen[b & 0xff]) {
                seen[b & 0xff] = true;
                distinct++;
            }
        }
        double expectedForRandom = 256 * (1 - Math.pow(255.0 / 256.0, sample.length));
        return distinct >= (sample.length >= 128 ? 0.75 : 0.6) * expectedForRandom;
    }
}
