package org.essaim.mailserver;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.queue.api.MailQueueName;
import org.apache.james.queue.api.ManageableMailQueue;
import org.apache.james.server.core.MailImpl;
import org.apache.james.server.core.MimeMessageSource;
import org.apache.james.server.core.MimeMessageWrapper;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The mail queues as plain files, for backups: {@code <queue>/<n>.json} (envelope, state, attributes; never the
 * client's address) and {@code <queue>/<n>.eml} (the message as queued: ciphertext for local accounts). Exported
 * by browsing each queue while delivery is paused, and put back into the queues at the first start after a restore
 * ({@link #importInto}), then deleted.
 */
final class QueueFiles {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path directory;

    QueueFiles(Path directory) {
        this.directory = directory;
    }

    int export(MailQueueFactory<? extends ManageableMailQueue> queues) {
        int count = 0;
        try {
            for (MailQueueName name : queues.listCreatedMailQueues()) {
                ManageableMailQueue queue = queues.getQueue(name).orElse(null);
                if (queue == null) {
                    continue;
                }
                Path queueDir = directory.resolve(safeName(name.asString()));
                Iterator<ManageableMailQueue.MailQueueItemView> items = queue.browse();
                int n = 0;
                while (items.hasNext()) {
                    Mail mail = items.next().getMail();
                    Files.createDirectories(queueDir);
                    write(mail, queueDir.resolve(n + ".json"), queueDir.resolve(n + ".eml"));
                    n++;
                }
                count += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (MessagingException e) {
            throw new MailServerException("Cannot export the mail queues: " + e.getMessage(), e);
        }
        return count;
    }

    private static void write(Mail mail, Path envelope, Path message) throws IOException, MessagingException {
        ObjectNode json = JSON.createObjectNode();
        json.put("name", mail.getName());
        json.put("state", mail.getState());
        mail.getMaybeSender().asOptional().ifPresent(sender -> json.put("sender", sender.asString()));
        json.putArray("recipients").addAll(mail.getRecipients().stream()
                .map(recipient -> JSON.getNodeFactory().textNode(recipient.asString())).toList());
        if (mail.getErrorMessage() != null) {
            json.put("errorMessage", mail.getErrorMessage());
        }
        if (mail.getLastUpdated() != null) {
            json.put("lastUpdated", mail.getLastUpdated().getTime());
        }
        ObjectNode attributes = json.putObject("attributes");
        mail.attributes().forEach(attribute -> attribute.getValue().toJson()
                .ifPresent(value -> attributes.set(attribute.getName().asString(), value)));
        Files.write(envelope, JSON.writeValueAsBytes(json));
        try (OutputStream out = Files.newOutputStream(message)) {
            mail.getMessage().writeTo(out);
        }
    }

    /** Puts exported mail back into its queues, deleting each pair of files once queued; returns how many. */
    int importInto(MailQueueFactory<?> queues) {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        int count = 0;
        try (Stream<Path> queueDirs = Files.list(directory)) {
            for (Path queueDir : queueDirs.filter(Files::isDirectory).sorted().toList()) {
                MailQueue queue = queues.createQueue(MailQueueName.of(queueDir.getFileName().toString()));
                for (Path envelope : envelopes(queueDir)) {
                    Path message = Path.of(envelope.toString().replaceFirst("\\.json$", ".eml"));
                    Mail mail = read(envelope, message);
                    queue.enQueue(mail);
                    Files.delete(envelope);
                    Files.deleteIfExists(message);
                    count++;
                }
                Files.deleteIfExists(queueDir);
            }
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (MessagingException e) {
            throw new MailServerException("Cannot put restored mail back into the queues: " + e.getMessage(), e);
        }
        return count;
    }

    private static List<Path> envelopes(Path queueDir) throws IOException {
        try (Stream<Path> files = Files.list(queueDir)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".json")).sorted().toList();
        }
    }

    private static Mail read(Path envelope, Path message) throws IOException, MessagingException {
        JsonNode json = JSON.readTree(envelope.toFile());
        List<MailAddress> recipients = new ArrayList<>();
        for (JsonNode recipient : json.path("recipients")) {
            recipients.add(new MailAddress(recipient.asText()));
        }
        MailImpl.Builder builder = MailImpl.builder()
                .name(json.path("name").asText())
                .state(json.path("state").asText(Mail.DEFAULT))
                .addRecipients(recipients)
                .mimeMessage(messageOf(Files.readAllBytes(message)));
        if (json.hasNonNull("sender")) {
            builder.sender(new MailAddress(json.get("sender").asText()));
        }
        if (json.hasNonNull("errorMessage")) {
            builder.errorMessage(json.get("errorMessage").asText());
        }
        if (json.hasNonNull("lastUpdated")) {
            builder.lastUpdated(new Date(json.get("lastUpdated").asLong()));
        }
        json.path("attributes").fields().forEachRemaining(field -> builder.addAttribute(
                new Attribute(AttributeName.of(field.getKey()), AttributeValue.fromJson(field.getValue()))));
        return builder.build();
    }

    private static MimeMessage messageOf(byte[] bytes) {
        return new MimeMessageWrapper(new MimeMessageSource() {
            @Override
            public String getSourceId() {
                return "restored-" + bytes.length;
            }

            @Override
            public java.io.InputStream getInputStream() {
                return new ByteArrayInputStream(bytes);
            }

            @Override
            public long getMessageSize() {
                return bytes.length;
            }
        });
    }

    private static String safeName(String queueName) {
        return queueName.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
