package org.essaim.delivery.authentication;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import javax.inject.Inject;
import javax.mail.Address;
import javax.mail.MessagingException;
import javax.mail.internet.AddressException;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.server.core.MailImpl;
import org.apache.james.server.core.MimeMessageWrapper;
import org.apache.james.smtpserver.JamesMessageHook;
import org.apache.mailet.Attribute;
import org.apache.mailet.Mail;
import org.essaim.delivery.LocalAccounts;
import org.essaim.delivery.NoticeTexts;
import org.essaim.delivery.TranslatedRefusal;
import org.essaim.delivery.dns.DnsResolver;
import org.essaim.delivery.spool.MessageSpool;
import org.essaim.delivery.spool.SpooledMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks where mail from other servers comes from, in the SMTP session and before anything encrypts it: SPF for the
 * connecting address, every DKIM signature, DMARC for the From: domain. The outcome is
 * <ul>
 * <li>one RFC 8601 {@code Authentication-Results: <hostname>; ...} field in the message (so, once encrypted on
 * arrival, inside the ciphertext), after removing any such field that claims our host name;</li>
 * <li>the Mail attribute {@link AuthenticationVerdict#ATTRIBUTE} for later steps (spam filtering);</li>
 * <li>a 550 at the end of DATA when DMARC fails and the domain asks for rejection;</li>
 * <li>the Spam folder for every recipient when DMARC fails and the domain asks for quarantine.</li>
 * </ul>
 * Mail from logged-in users (submission) is not checked: it is the sender's own. The client's address is used for
 * SPF only, never stored or logged.
 */
public class ArrivalAuthenticationHook implements JamesMessageHook {
    private static final Logger LOGGER = LoggerFactory.getLogger(ArrivalAuthenticationHook.class);
    /** James' per-recipient folder attribute (honoured by LocalDelivery/MailboxAppender). */
    static final String DELIVERY_PATH_PREFIX = "DeliveryPath_";
    static final String SPAM_FOLDER = "Spam";
    /** A header section larger than this is cut there (what follows is treated as body). */
    static final int MAX_HEADER = 1 << 20;
    private static final MessageSpool SPOOL = MessageSpool.inTemporaryDirectory();

    private final SpfCheck spf;
    private final DkimCheck dkim;
    private final DmarcCheck dmarc;
    private final LocalAccounts localAccounts;
    private final NoticeTexts texts;

    @Inject
    public ArrivalAuthenticationHook(DnsResolver dns, LocalAccounts localAccounts, NoticeTexts texts) {
        this.texts = texts;
        this.spf = new SpfCheck(dns);
        this.dkim = new DkimCheck(dns);
        this.dmarc = new DmarcCheck(dns, () -> ThreadLocalRandom.current().nextInt(100));
        this.localAccounts = localAccounts;
    }

    @Override
    public HookResult onMessage(SMTPSession session, Mail mail) {
        String hostname = session.getConfiguration().getHelloName();
        try {
            MimeMessage message = mail.getMessage();
            // Only the header is held in memory; the body is read as a stream (a 45 MB message needs little heap).
            byte[] header = headerOf(message);
            if (session.getUsername() != null) {
                byte[] cleaned = AuthenticationResultsHeader.withoutForged(header, hostname);
                if (cleaned.length != header.length) {
                    replaceHeader(mail, message, header.length, cleaned);
                }
                return HookResult.DECLINED;
            }
            String helo = session.getAttachment(SMTPSession.CURRENT_HELO_NAME, ProtocolSession.State.Connection).orElse("");
            Optional<String> mailFrom = mail.getMaybeSender().asOptional().map(MailAddress::asString);
            SpfCheck.SpfOutcome spfOutcome = spf.check(clientAddress(session), mailFrom, helo);
            DkimCheck.DkimOutcome dkimOutcome;
            try (InputStream body = bodyOf(message, header.length)) {
                dkimOutcome = dkim.check(header, body);
            }
            Optional<String> fromDomain = singleFromDomain(message);
            DmarcCheck.DmarcOutcome dmarcOutcome = fromDomain
                    .map(domain -> dmarc.check(domain, spfOutcome, dkimOutcome))
                    .orElse(new DmarcCheck.DmarcOutcome(AuthenticationVerdict.Result.NONE, Optional.empty()));

            AuthenticationVerdict verdict = new AuthenticationVerdict(Optional.of(spfOutcome.result()),
                    Optional.of(dkimOutcome.result()), Optional.of(dmarcOutcome.result()), dmarcOutcome.policy(),
                    fromDomain, dkimOutcome.domains());
            verdict.writeTo(mail);
            if (verdict.dmarcAsksToReject()) {
                LOGGER.info("Mail {} refused: DMARC policy of {} says reject", mail.getName(), fromDomain.orElse("?"));
                return rejected(fromDomain.orElse(""));
            }
            // On the bytes, so that every other field and the body stay exactly as they came.
            byte[] checked = RawHeaders.prepend(AuthenticationResultsHeader.NAME + ": "
                    + AuthenticationResultsHeader.value(hostname, spfOutcome, dkimOutcome, fromDomain, dmarcOutcome),
                    AuthenticationResultsHeader.withoutForged(header, hostname));
            replaceHeader(mail, message, header.length, checked);
            if (verdict.dmarcAsksToQuarantine()) {
                fileIntoSpam(mail);
            }
        } catch (MessagingException | IOException | RuntimeException e) {
            // A check that cannot run must not lose mail: it goes on without a verdict.
            LOGGER.warn("Mail {}: origin checks failed ({})", mail.getName(), e.getClass().getSimpleName());
        }
        return HookResult.DECLINED;
    }

    private HookResult rejected(String domain) {
        return TranslatedRefusal.of(HookReturnCode.deny(), "550", "5.7.1", texts, "smtp.reply.dmarcReject", domain);
    }

    private void fileIntoSpam(Mail mail) {
        for (MailAddress recipient : mail.getRecipients()) {
            setSpamFolder(mail, recipient);
            localAccounts.accountsReachedBy(recipient).forEach(account -> setSpamFolder(mail, account));
        }
    }

    private static void setSpamFolder(Mail mail, MailAddress recipient) {
        mail.setAttribute(Attribute.convertToAttribute(DELIVERY_PATH_PREFIX + recipient.asString(), SPAM_FOLDER));
    }

    private static String clientAddress(SMTPSession session) {
        InetSocketAddress remote = session.getRemoteAddress();
        return remote == null || remote.getAddress() == null ? "0.0.0.0" : remote.getAddress().getHostAddress();
    }

    /** The From: domain when the header names exactly one address (else DMARC cannot apply). */
    static Optional<String> singleFromDomain(MimeMessage message) throws MessagingException {
        String[] from = message.getHeader("From");
        if (from == null || from.length != 1) {
            return Optional.empty();
        }
        try {
            Address[] addresses = InternetAddress.parseHeader(from[0], false);
            if (addresses.length != 1 || !(addresses[0] instanceof InternetAddress address)) {
                return Optional.empty();
            }
            String email = address.getAddress();
            int at = email == null ? -1 : email.lastIndexOf('@');
            return at < 0 ? Optional.empty() : Optional.of(email.substring(at + 1).toLowerCase(Locale.ROOT));
        } catch (AddressException e) {
            return Optional.empty();
        }
    }

    /**
     * The message's header section as it came, up to and including the blank line that ends it (the whole message when
     * it has none, up to {@link #MAX_HEADER} bytes).
     */
    static byte[] headerOf(MimeMessage message) throws IOException, MessagingException {
        try (InputStream in = new BufferedInputStream(rawStream(message), 8192)) {
            ByteArrayOutputStream header = new ByteArrayOutputStream(4096);
            int previous = -1;
            int beforePrevious = -1;
            int b;
            while (header.size() < MAX_HEADER && (b = in.read()) >= 0) {
                header.write(b);
                if (b == '\n' && (previous == '\n' || (previous == '\r' && beforePrevious == '\n'))) {
                    break;
                }
                beforePrevious = previous;
                previous = b;
            }
            return header.toByteArray();
        }
    }

    private static InputStream bodyOf(MimeMessage message, int headerLength) throws IOException, MessagingException {
        InputStream in = rawStream(message);
        in.skipNBytes(headerLength);
        return in;
    }

    /**
     * The message's bytes: James' message reads its source (with the header as edited so far) without a copy; any
     * other kind is written out once.
     */
    private static InputStream rawStream(MimeMessage message) throws IOException, MessagingException {
        if (message instanceof MimeMessageWrapper wrapper) {
            return wrapper.getMessageInputStream();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return new ByteArrayInputStream(out.toByteArray());
    }

    /**
     * The message with {@code newHeader} in place of its first {@code oldHeaderLength} bytes, in a spool (memory for
     * small mail, else a temp file encrypted under a key held only in memory: never plaintext on disk). The Mail
     * owns the spool from then on.
     */
    private static void replaceHeader(Mail mail, MimeMessage message, int oldHeaderLength, byte[] newHeader)
            throws IOException, MessagingException {
        SpooledMessage edited = SPOOL.newMessage();
        try (OutputStream out = edited.output(); InputStream body = bodyOf(message, oldHeaderLength)) {
            out.write(newHeader);
            body.transferTo(out);
        } catch (IOException | RuntimeException e) {
            edited.close();
            throw e;
        }
        if (mail instanceof MailImpl james) {
            james.setMessageContent(edited); // the old message (and its spool) is released
        } else {
            mail.setMessage(new MimeMessageWrapper(edited));
        }
    }
}
