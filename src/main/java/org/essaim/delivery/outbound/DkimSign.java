package org.essaim.delivery.outbound;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

import javax.inject.Inject;
import javax.mail.Address;
import javax.mail.MessagingException;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

import org.apache.james.jdkim.DKIMSigner;
import org.apache.james.jdkim.exceptions.FailException;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs every message leaving for another server with the DKIM key of its From: domain (RSA-SHA256, relaxed/relaxed,
 * RFC 6376), or of the server's main domain when the From: domain is not ours. Apache jDKIM computes the signature;
 * the DKIM-Signature field is added on top of the message, so what is signed is what leaves. jDKIM 0.3 signs RSA
 * only: Ed25519 (RFC 8463) is not offered.
 */
public class DkimSign extends GenericMailet {
    private static final Logger LOGGER = LoggerFactory.getLogger(DkimSign.class);
    static final String SIGNED_HEADERS = "from:sender:reply-to:subject:date:message-id:to:cc:mime-version"
            + ":content-type:content-transfer-encoding:in-reply-to:references:list-id:list-post:list-unsubscribe";

    private final DkimSigningKeys keys;

    @Inject
    public DkimSign(DkimSigningKeys keys) {
        this.keys = keys;
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        MimeMessage message = mail.getMessage();
        String fromDomain = fromDomain(message).orElse("");
        Optional<DkimSigningKeys.SigningKey> key = keys.activeKeyFor(fromDomain).or(() -> keys.activeKeyFor(keys.defaultDomain()));
        if (key.isEmpty()) {
            LOGGER.warn("Mail {} leaves unsigned: no DKIM key for {}", mail.getName(), fromDomain);
            return;
        }
        try {
            byte[] unsigned = InMemoryMessage.bytesOf(message);
            String field = signatureField(unsigned, key.get());
            // The signed bytes stay exactly as they are: the field goes on top (RFC 6376 section 5.6), the rest is
            // never re-serialised (a header rewrite by javax.mail would break the signature).
            byte[] signatureLine = (field.trim() + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            byte[] signed = new byte[signatureLine.length + unsigned.length];
            System.arraycopy(signatureLine, 0, signed, 0, signatureLine.length);
            System.arraycopy(unsigned, 0, signed, signatureLine.length, unsigned.length);
            mail.setMessage(InMemoryMessage.of(mail.getName() + "-signed", signed));
        } catch (FailException | IOException e) {
            LOGGER.warn("Mail {} leaves unsigned: {}", mail.getName(), e.getMessage());
        }
    }

    public static String signatureField(byte[] message, DkimSigningKeys.SigningKey key) throws FailException, IOException {
        String template = "v=1; a=rsa-sha256; c=relaxed/relaxed; d=" + key.domain() + "; s=" + key.selector()
                + "; h=" + SIGNED_HEADERS + "; bh=; b=;";
        return new DKIMSigner(template, key.privateKey()).sign(new ByteArrayInputStream(message));
    }

    static Optional<String> fromDomain(MimeMessage message) throws MessagingException {
        String[] from = message.getHeader("From");
        if (from == null || from.length == 0) {
            return Optional.empty();
        }
        try {
            for (Address address : InternetAddress.parseHeader(from[0], false)) {
                if (address instanceof InternetAddress internet && internet.getAddress() != null
                        && internet.getAddress().contains("@")) {
                    String email = internet.getAddress();
                    return Optional.of(email.substring(email.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT));
                }
            }
        } catch (MessagingException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    @Override
    public String getMailetInfo() {
        return "Essaim DKIM signing";
    }
}
