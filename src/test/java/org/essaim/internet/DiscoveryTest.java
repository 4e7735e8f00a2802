package org.essaim.internet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathFactory;

import org.essaim.support.EssaimInstance;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * What clients and other servers fetch without logging in: Thunderbird's autoconfig file at both URLs it tries
 * (read the way Thunderbird reads it: clientConfig/emailProvider with incoming and outgoing servers) and the
 * MTA-STS policy.
 */
class DiscoveryTest {
    private final EssaimInstance essaim = EssaimInstance.shared();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void thunderbirdFindsImapsPop3sAndSubmissionAtBothAutoconfigUrls() throws Exception {
        for (String path : new String[] {"/mail/config-v1.1.xml", "/.well-known/autoconfig/mail/config-v1.1.xml"}) {
            HttpResponse<byte[]> response = get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type").orElse("")).contains("xml");
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document xml = factory.newDocumentBuilder().parse(new ByteArrayInputStream(response.body()));
            XPath xpath = XPathFactory.newInstance().newXPath();
            String provider = "/clientConfig[@version='1.1']/emailProvider[@id='" + EssaimInstance.DOMAIN + "']";
            assertThat(xpath.evaluate(provider + "/domain", xml)).isEqualTo(EssaimInstance.DOMAIN);
            String imap = provider + "/incomingServer[@type='imap']";
            assertThat(xpath.evaluate(imap + "/hostname", xml)).isEqualTo("mail." + EssaimInstance.DOMAIN);
            assertThat(xpath.evaluate(imap + "/port", xml)).isEqualTo(String.valueOf(essaim.imapsPort()));
            assertThat(xpath.evaluate(imap + "/socketType", xml)).isEqualTo("SSL");
            assertThat(xpath.evaluate(imap + "/username", xml)).isEqualTo("%EMAILADDRESS%");
            assertThat(xpath.evaluate(imap + "/authentication", xml)).isEqualTo("password-cleartext");
            assertThat(xpath.evaluate(provider + "/incomingServer[@type='pop3']/port", xml)).isEqualTo(String.valueOf(essaim.pop3sPort()));
            String smtp = provider + "/outgoingServer[@type='smtp']";
            assertThat(xpath.evaluate(smtp + "/port", xml)).isEqualTo(String.valueOf(essaim.submissionPort()));
            assertThat(xpath.evaluate(smtp + "/socketType", xml)).isEqualTo("STARTTLS");
        }
    }

    @Test
    void theMtaStsPolicyIsServedToAnyone() throws Exception {
        HttpResponse<byte[]> response = get("/.well-known/mta-sts.txt");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new String(response.body(), java.nio.charset.StandardCharsets.US_ASCII))
                .startsWith("version: STSv1\r\n").contains("mx: mail." + EssaimInstance.DOMAIN + "\r\n")
                .contains("mode: testing"); // the shared instance has a self-signed certificate
    }

    private HttpResponse<byte[]> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(essaim.baseUrl() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }
}
