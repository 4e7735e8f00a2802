package org.essaim.delivery.outbound;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The certificate authorities Essaim trusts when it must check another server's certificate (MTA-STS: the policy
 * host over HTTPS, then the MX host over STARTTLS): the JVM's own, plus the PEM file of
 * {@code essaim.mta-sts.ca-file} when set (for tests, whose servers have certificates of a test CA).
 */
public final class OutboundTrust {
    private final SSLContext context;

    private OutboundTrust(SSLContext context) {
        this.context = context;
    }

    /** @param extraCaFile PEM certificates to trust besides the JVM's; empty for the JVM's alone */
    public static OutboundTrust of(Optional<Path> extraCaFile) {
        try {
            TrustManagerFactory jvm = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            jvm.init((KeyStore) null);
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            int n = 0;
            for (var manager : jvm.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    for (X509Certificate ca : x509.getAcceptedIssuers()) {
                        anchors.setCertificateEntry("jvm-" + n++, ca);
                    }
                }
            }
            if (extraCaFile.isPresent()) {
                try (InputStream in = Files.newInputStream(extraCaFile.get())) {
                    for (Certificate ca : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                        anchors.setCertificateEntry("extra-" + n++, ca);
                    }
                }
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(anchors);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return new OutboundTrust(context);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + extraCaFile.orElse(null), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot set up the trusted certificate authorities", e);
        }
    }

    public SSLContext context() {
        return context;
    }
}
