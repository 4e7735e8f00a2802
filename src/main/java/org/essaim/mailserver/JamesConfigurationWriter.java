package org.essaim.mailserver;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.essaim.config.EssaimProperties;
import org.essaim.config.InternetProperties;
import org.essaim.delivery.dns.DnsResolver;
import org.springframework.util.PropertyPlaceholderHelper;

/**
 * Writes James' configuration into the data directory from Essaim's own settings, at every start:
 * operators change ports and names through Essaim's properties and never edit James XML.
 * The templates live in the classpath folder {@code james/}.
 */
class JamesConfigurationWriter {

    static final List<String> FILES = List.of(
            "smtpserver.xml", "imapserver.xml", "pop3server.xml", "mailetcontainer.xml",
            "mailrepositorystore.xml", "domainlist.xml", "usersrepository.xml", "recipientrewritetable.xml",
            "dnsservice.xml", "listeners.xml", "healthcheck.properties");

    private final PropertyPlaceholderHelper placeholders = new PropertyPlaceholderHelper("${", "}");

    void write(EssaimProperties settings, InternetProperties internet, Path confDir) {
        Properties values = templateValues(settings);
        values.putAll(OutboundSettings.templateValues(settings, internet));
        try {
            Files.createDirectories(confDir);
            for (String file : FILES) {
                String rendered = placeholders.replacePlaceholders(template(file), values);
                Files.writeString(confDir.resolve(file), rendered, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write James configuration into " + confDir, e);
        }
    }

    static Properties templateValues(EssaimProperties settings) {
        Properties values = new Properties();
        values.putAll(Map.of(
                "bind", settings.bindAddress(),
                "domain", settings.domain(),
                "hostname", settings.effectiveHostname(),
                "smtpPort", String.valueOf(settings.smtp().port()),
                "submissionPort", String.valueOf(settings.submission().port()),
                "imapPort", String.valueOf(settings.imap().port()),
                "imapsPort", String.valueOf(settings.imaps().port()),
                "pop3Port", String.valueOf(settings.pop3().port()),
                "pop3sPort", String.valueOf(settings.pop3s().port())));
        values.put("maxMessageSize", String.valueOf(settings.maxMessageSize()));
        values.put("maxMessageSizeKiB", String.valueOf(Math.max(1, settings.maxMessageSize() / 1024)));
        return values;
    }

    private static String template(String file) throws IOException {
        try (InputStream in = JamesConfigurationWriter.class.getResourceAsStream("/james/" + file)) {
            if (in == null) {
                throw new IOException("Missing bundled James template " + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
