package org.essaim.webmail.composing;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Properties;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.essaim.mailserver.MailEndpoints;
import org.essaim.mailserver.MailServerBridge;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;

/**
 * Submits finished messages over SMTP submission (STARTTLS to the pinned certificate, AUTH as the logged-in
 * user) exactly as a mail client would, so the server applies the same rules (sender, quotas, encryption at
 * delivery) to the webmail as to any client. The envelope recipients are given apart from the headers: that is
 * how Bcc recipients get the message without appearing in it.
 */
@Service
public class MailSubmission {
    private final MailServerBridge mailServer;

    public MailSubmission(MailServerBridge mailServer) {
        this.mailServer = mailServer;
    }

    /** Parses the bytes as they will travel; {@link #submit} sends them unchanged (no new Message-ID). */
    static MimeMessage asMessage(byte[] bytes) throws MessagingException {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(bytes));
    }

    public void submit(byte[] message, List<InternetAddress> envelopeRecipients) throws MessagingException {
        Authentication user = SecurityContextHolder.getContext().getAuthentication();
        if (user == null || !(user.getCredentials() instanceof String password)) {
            throw new MessagingException("No logged-in user with a password to send as");
        }
        MailEndpoints endpoints = mailServer.endpoints();
        Properties props = new Properties();
        props.put("mail.smtp.auth", "true");
        props.put("mail.smtp.starttls.enable", "true");
        props.put("mail.smtp.starttls.required", "true");
        props.put("mail.smtp.ssl.socketFactory", endpoints.socketFactory());
        // The certificate is pinned by the socket factory, so the host name need not match it.
        props.put("mail.smtp.ssl.checkserveridentity", "false");
        props.put("mail.smtp.connectiontimeout", "10000");
        props.put("mail.smtp.timeout", "60000");
        props.put("mail.smtp.from", user.getName());
        Session session = Session.getInstance(props);
        MimeMessage mime = new MimeMessage(session, new ByteArrayInputStream(message));
        try (Transport transport = session.getTransport("smtp")) {
            transport.connect(endpoints.host(), endpoints.submissionPort(), user.getName(), password);
            // sendMessage, not Transport.send: the latter calls saveChanges(), which would replace the Message-ID.
            transport.sendMessage(mime, envelopeRecipients.toArray(InternetAddress[]::new));
        }
    }
}
