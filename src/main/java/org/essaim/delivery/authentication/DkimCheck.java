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
        int signatures = countSignatures(message);
        if (signatures == 0) {
            return new DkimOutcome(Result.NONE, List.of(), 0);
        }
        try {
            List<SignatureRecord> verified = new DKIMVerifier(keys()).verify(new ByteArrayInputStream(message));
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
        } catch (FailException | IOException | RuntimeException e) {
            return new DkimOutcome(Result.FAIL, List.of(), signatures);
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

    /** A signature that verified: its signing domain (d=) and selector (s=). */
    record Signer(String domain, String selector) { }

    /** The overall result (pass if any signature verified), the signers that verified, how many signatures there were. */
    record DkimOutcome(Result result, List<Signer> verified, int signatures) {
        List<String> domains() {
            return verified.stream().map(Signer::domain).distinct().toList();
        }
    }
}
