package org.essaim.delivery.authentication;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.james.jdkim.DKIMVerifier;
import org.apache.james.jdkim.api.PublicKeyRecordRetriever;
import org.apache.james.jdkim.api.SignatureRecord;
import org.apache.james.jdkim.exceptions.FailException;
import org.apache.james.jdkim.exceptions.PermFailException;
import org.apache.james.jdkim.exceptions.TempFailException;
import org.essaim.delivery.authentication.AuthenticationVerdict.Result;
import org.essaim.delivery.dns.DnsResolver;

/**
 * Verifies every DKIM signature of a message (RFC 6376) with Apache jDKIM, fetching the keys through Essaim's
 * resolvers. jDKIM 0.3 verifies RSA signatures only; an Ed25519 signature (RFC 8463) beside a valid RSA one does
 * not hurt, alone it counts as failed.
 */
final class DkimCheck {
    private final DnsResolver dns;

    DkimCheck(DnsResolver dns) {
        this.dns = dns;
    }

    DkimOutcome check(byte[] message) {
        int header = bodyStart(message);
        return check(java.util.Arrays.copyOf(message, header),
                new ByteArrayInputStream(message, header, message.length - header));
    }

    /**
     * The same with the header section (up to and including its blank line) in memory and the body as a stream:
     * the body is hashed as it is read, never held whole (a 45 MB signed message needs little heap).
     */
    DkimOutcome check(byte[] header, java.io.InputStream body) {
        int signatures = countSignatures(header);
        if (signatures == 0) {
            return new DkimOutcome(Result.NONE, List.of(), 0);
        }
        org.apache.james.jdkim.impl.Message headers = null;
        try {
            headers = new org.apache.james.jdkim.impl.Message(new ByteArrayInputStream(header));
            List<SignatureRecord> verified = new DKIMVerifier(keys()).verify(headers, body);
            if (verified == null || verified.isEmpty()) {
                return new DkimOutcome(Result.FAIL, List.of(), signatures);
            }
            List<Signer> signers = new ArrayList<>();
            for (SignatureRecord record : verified) {
                signers.add(new Signer(record.getDToken().toString().toLowerCase(Locale.ROOT), record.getSelector().toString()));
            }
            return new DkimOutcome(Result.PASS, signers, signatures);
        } catch (TempFailException e) {
            return new DkimOutcome(Result.TEMPERROR, List.of(), signatures);
        } catch (FailException | IOException | org.apache.james.mime4j.MimeException | RuntimeException e) {
            return new DkimOutcome(Result.FAIL, List.of(), signatures);
        } finally {
            if (headers != null) {
                headers.dispose();
            }
        }
    }

    private PublicKeyRecordRetriever keys() {
        return (methodAndOptions, selector, token) -> {
            if (!"dns/txt".equalsIgnoreCase(methodAndOptions.toString())) {
                throw new PermFailException("Only dns/txt is supported for public key record retrieval");
            }
            DnsResolver.Answer<String> answer = dns.txt(selector + "._domainkey." + token);
            if (answer.temporaryFailure()) {
                throw new TempFailException("DNS: " + answer.error());
            }
            if (answer.records().isEmpty()) {
                throw new PermFailException("No key for selector " + selector + " of " + token);
            }
            return answer.records();
        };
    }

    /** DKIM-Signature header fields in the header block (the body is not looked at). */
    static int countSignatures(byte[] message) {
        String text = new String(message, 0, headerLength(message), java.nio.charset.StandardCharsets.ISO_8859_1);
        int count = 0;
        for (String line : text.split("\r?\n")) {
            if (line.regionMatches(true, 0, "DKIM-Signature:", 0, "DKIM-Signature:".length())) {
                count++;
            }
        }
        return count;
    }

    private static int headerLength(byte[] message) {
        for (int i = 0; i + 1 < message.length; i++) {
            if (message[i] == '\n' && (message[i + 1] == '\n' || (message[i + 1] == '\r' && i + 2 < message.length && message[i + 2] == '\n'))) {
                return i + 1;
            }
        }
        return message.length;
    }

    /** Where the body starts: after the blank line that ends the header section. */
    static int bodyStart(byte[] message) {
        int header = headerLength(message);
        if (header < message.length && message[header] == '\n') {
            return header + 1;
        }
        if (header + 1 < message.length && message[header] == '\r' && message[header + 1] == '\n') {
            return header + 2;
        }
        return header;
    }

    /** A signature that verified: its signing domain (d=) and selector (s=). */
    record Signer(String domain, String selector) { }

    /** The overall result (pass if any signature verified), the signers that verified, how many signatures there were. */
    record DkimOutcome(Result result, List<Signer> verified, int signatures) {
        List<String> domains() {
            return verified.stream().map(Signer::domain).distinct().toList();
        }
    }
}
