package org.essaim.delivery.authentication;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
import org.apache.james.smtpserver.JamesMessageHook;
import org.apache.mailet.Attribute;
import org.apache.mailet.Mail;
import org.essaim.delivery.LocalAccounts;
import org.essaim.delivery.dns.DnsResolver;
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

    private final SpfCheck spf;
    private final DkimCheck dkim;
    private final DmarcCheck dmarc;
    private final LocalAccounts localAccounts;

    @Inject
    public ArrivalAuthenticationHook(DnsResolver dns, LocalAccounts localAccounts) {
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
            byte[] raw = bytesOf(message);
            if (session.getUsername() != null) {
                byte[] cleaned = AuthenticationResultsHeader.withoutForged(raw, hostname);
                if (cleaned.length != raw.length) {
                    mail.setMessage(RawHeaders.message(mail.getName(), cleaned));
                }
                return HookResult.DECLINED;
            }
            String helo = session.getAttachment(SMTPSession.CURRENT_HELO_NAME, ProtocolSession.State.Connection).orElse("");
            Optional<String> mailFrom = mail.getMaybeSender().asOptional().map(MailAddress::asString);
            SpfCheck.SpfOutcome spfOutcome = spf.check(clientAddress(session), mailFrom, helo);
            DkimCheck.DkimOutcome dkimOutcome = dkim.check(raw);
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
                    AuthenticationResultsHeader.withoutForged(raw, hostname));
            mail.setMessage(RawHeaders.message(mail.getName(), checked));
            if (verdict.dmarcAsksToQuarantine()) {
                fileIntoSpam(mail);
            }
        } catch (MessagingException | IOException | RuntimeException e) {
            // A check that cannot run must not lose mail: it goes on without a verdict.
            LOGGER.warn("Mail {}: origin checks failed ({})", mail.getName(), e.getClass().getSimpleName());
        }
        return HookResult.DECLINED;
    }

    static HookResult rejected(String domain) {
        return HookResult.builder()
                .hookReturnCode(HookReturnCode.deny())
                .smtpReturnCode("550")
                .smtpDescription("5.7.1 Rejected: the DMARC policy of " + domain
                        + " asks to refuse mail from it that fails authentication")
                .build();
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

    private static byte[] bytesOf(MimeMessage message) throws IOException, MessagingException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toByteArray();
    }

}
