package org.essaim.dkim;

import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * One DKIM key of a domain and where it is in its life: {@code ACTIVE} (signs, published), {@code GRACE} (replaced,
 * still published so mail in transit verifies), {@code RETIRED} (gone from DNS; its private half published when
 * {@code essaim.dkim.publish-retired-keys} is on, so old signatures prove nothing).
 */
public record DkimKey(String domain, String selector, State state, Instant since, PrivateKey privateKey) {

    public enum State { ACTIVE, GRACE, RETIRED }

    /** The DNS name of the key record. */
    public String recordName() {
        return selector + "._domainkey." + domain;
    }

    /** The TXT value to publish: {@code v=DKIM1; k=rsa; p=<SubjectPublicKeyInfo, base64>}. */
    public String recordValue() {
        return "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(publicKey().getEncoded());
    }

    public PublicKey publicKey() {
        try {
            RSAPrivateCrtKey rsa = (RSAPrivateCrtKey) privateKey;
            return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
        } catch (java.security.GeneralSecurityException | ClassCastException e) {
            throw new IllegalStateException("Not an RSA private key: " + selector, e);
        }
    }

    /** PKCS#8 PEM of the private key: only ever shown for a retired key. */
    public Optional<String> publishedPrivateKey(boolean publishRetired) {
        if (state != State.RETIRED || !publishRetired) {
            return Optional.empty();
        }
        return Optional.of(DkimKeyStore.pem(privateKey));
    }
}
