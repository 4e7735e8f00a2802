package org.essaim.dkim;

/**
 * A DKIM key was added, replaced or retired: the audit log records it as a server entry (governance listens), so
 * the collective sees every change of the keys that speak for its domain.
 *
 * @param action       {@code dkim.key.added}, {@code dkim.key.replaced} or {@code dkim.key.retired}
 * @param record       the public key record ({@code v=DKIM1; k=rsa; p=...})
 * @param privateKeyPublished whether the private half of a retired key is now public (deniability)
 */
public record DkimKeyChanged(String action, String domain, String selector, String record, boolean privateKeyPublished) {
}
