package org.essaim.internet;

import java.util.Locale;

import org.essaim.config.EssaimProperties;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * What other servers and mail clients fetch without logging in: the MTA-STS policy (RFC 8461), Thunderbird's
 * autoconfig file at both places it looks (https://autoconfig.DOMAIN/mail/config-v1.1.xml and
 * https://DOMAIN/.well-known/autoconfig/mail/config-v1.1.xml), and retired DKIM private keys when the collective
 * chose to publish them ({@code essaim.dkim.publish-retired-keys}).
 */
@RestController
public class DiscoveryController {
    private final DomainSetup domain;
    private final EssaimProperties settings;

    public DiscoveryController(DomainSetup domain, EssaimProperties settings) {
        this.domain = domain;
        this.settings = settings;
    }

    @GetMapping(value = "/.well-known/mta-sts.txt", produces = MediaType.TEXT_PLAIN_VALUE)
    public String mtaStsPolicy() {
        return domain.mtaStsPolicy();
    }

    @GetMapping(value = {"/mail/config-v1.1.xml", "/.well-known/autoconfig/mail/config-v1.1.xml"},
            produces = "application/xml")
    public String autoconfig() {
        String name = xml(settings.domain().toLowerCase(Locale.ROOT));
        String host = xml(settings.effectiveHostname());
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<clientConfig version=\"1.1\">\n"
                + "  <emailProvider id=\"" + name + "\">\n"
                + "    <domain>" + name + "</domain>\n"
                + "    <displayName>Essaim (" + name + ")</displayName>\n"
                + "    <displayShortName>" + name + "</displayShortName>\n"
                + server("incomingServer", "imap", host, settings.imaps().port(), "SSL")
                + server("incomingServer", "pop3", host, settings.pop3s().port(), "SSL")
                + server("outgoingServer", "smtp", host, settings.submission().port(), "STARTTLS")
                + "  </emailProvider>\n"
                + "</clientConfig>\n";
    }

    @GetMapping(value = "/.well-known/essaim/dkim-retired/{selector}.pem", produces = MediaType.TEXT_PLAIN_VALUE)
    public ResponseEntity<String> retiredKey(@PathVariable String selector) {
        return domain.publishedRetiredKeys().stream().filter(key -> key[0].equals(selector)).findFirst()
                .map(key -> ResponseEntity.ok(key[1]))
                .orElse(ResponseEntity.notFound().build());
    }

    private static String server(String element, String type, String host, int port, String socketType) {
        return "    <" + element + " type=\"" + type + "\">\n"
                + "      <hostname>" + host + "</hostname>\n"
                + "      <port>" + port + "</port>\n"
                + "      <socketType>" + socketType + "</socketType>\n"
                + "      <authentication>password-cleartext</authentication>\n"
                + "      <username>%EMAILADDRESS%</username>\n"
                + "    </" + element + ">\n";
    }

    private static String xml(String text) {
        return HtmlUtils.htmlEscape(text);
    }
}
