package org.essaim.mailserver;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import org.essaim.config.EssaimProperties;
import org.essaim.crypto.SelfSignedCertificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificate and key every mail port serves. The operator's PEM files when configured
 * ({@code essaim.tls.certificate}, {@code essaim.tls.private-key}); otherwise a self-signed pair
 * generated once into {@code <data-dir>/tls/}. James reads a copy under its conf folder.
 */
final class TlsMaterial {
    private static final Logger LOGGER = LoggerFactory.getLogger(TlsMaterial.class);

    private final Path certificate;
    private final Path privateKey;

    private TlsMaterial(Path certificate, Path privateKey) {
        this.certificate = certificate;
        this.privateKey = privateKey;
    }

    static TlsMaterial prepare(EssaimProperties settings, Path jamesConfDir) {
        try {
            TlsMaterial source = settings.tls().operatorProvided()
                    ? new TlsMaterial(Path.of(settings.tls().certificate()), Path.of(settings.tls().privateKey()))
                    : selfSigned(settings.absoluteDataDir().resolve("tls"), settings.effectiveHostname());
            Path target = jamesConfDir.resolve("tls");
            Files.createDirectories(target);
            Files.copy(source.certificate, target.resolve("cert.pem"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(source.privateKey, target.resolve("key.pem"), StandardCopyOption.REPLACE_EXISTING);
            restrictToOwner(target.resolve("key.pem"));
            return new TlsMaterial(target.resolve("cert.pem"), target.resolve("key.pem"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare TLS certificate and key", e);
        }
    }

    private static TlsMaterial selfSigned(Path dir, String hostname) throws IOException {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        if (!Files.exists(cert) || !Files.exists(key)) {
            Files.createDirectories(dir);
            SelfSignedCertificate.Pem pem = SelfSignedCertificate.generate(hostname);
            Files.writeString(key, pem.privateKey());
            restrictToOwner(key);
            Files.writeString(cert, pem.certificate());
            LOGGER.info("Generated a self-signed certificate for {} in {}; configure essaim.tls.certificate and "
                    + "essaim.tls.private-key to serve a real one", hostname, dir);
        }
        return new TlsMaterial(cert, key);
    }

    private static void restrictToOwner(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException | IOException e) {
            LOGGER.debug("Cannot restrict permissions of {}", file);
        }
    }

    /**
     * Sockets for Essaim's own loopback clients (the webmail's IMAP and SMTP sessions): they trust exactly
     * the certificate the mail ports serve, self-signed or not.
     */
    SSLSocketFactory trustingSocketFactory() {
        try (InputStream in = Files.newInputStream(certificate)) {
            Collection<? extends Certificate> chain = CertificateFactory.getInstance("X.509").generateCertificates(in);
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int i = 0;
            for (Certificate c : chain) {
                trusted.setCertificateEntry("essaim-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot load the mail certificate " + certificate, e);
        }
    }
}
