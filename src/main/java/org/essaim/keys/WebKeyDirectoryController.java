package org.essaim.keys;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;

import org.essaim.config.EssaimProperties;
import org.essaim.crypto.WkdHash;
import org.essaim.mailserver.MailServerBridge;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Web Key Directory (draft-koch-openpgp-webkey-service): mail programs find a local user's key at
 * {@code https://DOMAIN/.well-known/openpgpkey/hu/HASH?l=LOCALPART} (direct method) or
 * {@code https://openpgpkey.DOMAIN/.well-known/openpgpkey/DOMAIN/hu/HASH} (advanced method), in binary.
 *
 * <p>The direct method names no domain, so it is taken from the Host header when that is one of Essaim's
 * mail domains (or openpgpkey.DOMAIN); for any other host (an IP address, the mail hostname) the primary
 * domain is tried first, then the others.
 */
@RestController
class WebKeyDirectoryController {
    private static final String ZBASE32_SHA1 = "[ybndrfg8ejkmcpqxot1uwisza345h769]{32}";

    private final PublicKeyDirectory directory;
    private final MailServerBridge mailServer;
    private final EssaimProperties settings;

    WebKeyDirectoryController(PublicKeyDirectory directory, MailServerBridge mailServer, EssaimProperties settings) {
        this.directory = directory;
        this.mailServer = mailServer;
        this.settings = settings;
    }

    @GetMapping({"/.well-known/openpgpkey/policy", "/.well-known/openpgpkey/{domain}/policy"})
    ResponseEntity<byte[]> policy(@PathVariable(required = false) String domain) {
        if (domain != null && !localDomains().contains(domain.toLowerCase(Locale.ROOT))) {
            return ResponseEntity.notFound().build();
        }
        return withCors(ResponseEntity.ok()).contentType(MediaType.TEXT_PLAIN).body(new byte[0]);
    }

    @GetMapping("/.well-known/openpgpkey/hu/{hash}")
    ResponseEntity<Object> direct(@PathVariable String hash, @RequestParam(name = "l", required = false) String local,
                                  HttpServletRequest request) {
        return answer(lookup(hash, local, domainsFor(request.getServerName())));
    }

    @GetMapping("/.well-known/openpgpkey/{domain}/hu/{hash}")
    ResponseEntity<Object> advanced(@PathVariable String domain, @PathVariable String hash,
                                    @RequestParam(name = "l", required = false) String local) {
        String requested = domain.toLowerCase(Locale.ROOT);
        List<String> domains = localDomains().contains(requested) ? List.of(requested) : List.of();
        return answer(lookup(hash, local, domains));
    }

    private Optional<StoredKey> lookup(String hash, String local, List<String> domains) {
        if (!hash.matches(ZBASE32_SHA1)) {
            return Optional.empty();
        }
        if (local != null && !local.isEmpty()) {
            if (local.contains("@") || !WkdHash.ofLocalPart(local).equals(hash)) {
                return Optional.empty();
            }
            return domains.stream().map(domain -> directory.find(local + "@" + domain))
                    .flatMap(Optional::stream).findFirst();
        }
        // Old clients send only the hash: compare it with each published address of the domain.
        return domains.stream().flatMap(domain -> directory.findInDomain(domain).stream())
                .filter(key -> WkdHash.ofLocalPart(WkdHash.localPartOf(key.address())).equals(hash))
                .findFirst();
    }

    private static ResponseEntity<Object> answer(Optional<StoredKey> key) {
        return key.<ResponseEntity<Object>>map(found -> withCors(ResponseEntity.ok())
                        .contentType(MediaType.APPLICATION_OCTET_STREAM)
                        .body(found.binary()))
                .orElseGet(() -> KeyResponses.error(HttpStatus.NOT_FOUND, "No key published at this address."));
    }

    /** The WKD draft asks for this so that web mail clients on other sites can fetch keys too. */
    private static ResponseEntity.BodyBuilder withCors(ResponseEntity.BodyBuilder response) {
        return response.header(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    }

    private List<String> domainsFor(String host) {
        List<String> local = localDomains();
        String name = host == null ? "" : host.toLowerCase(Locale.ROOT);
        if (local.contains(name)) {
            return List.of(name);
        }
        if (name.startsWith("openpgpkey.") && local.contains(name.substring("openpgpkey.".length()))) {
            return List.of(name.substring("openpgpkey.".length()));
        }
        List<String> ordered = new ArrayList<>();
        String primary = settings.domain().toLowerCase(Locale.ROOT);
        if (local.contains(primary)) {
            ordered.add(primary);
        }
        local.stream().filter(domain -> !domain.equals(primary)).forEach(ordered::add);
        return ordered;
    }

    private List<String> localDomains() {
        return mailServer.domains().stream().map(domain -> domain.toLowerCase(Locale.ROOT)).toList();
    }
}
