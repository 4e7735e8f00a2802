package org.essaim.delivery.lists;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.dsn.DSNStatus;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.smtpserver.JamesMessageHook;
import org.apache.mailet.AttributeName;
import org.apache.mailet.Mail;
import org.essaim.delivery.authentication.AuthenticationVerdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * List expansion in the SMTP session, at the end of DATA, before the encrypting step and before anything is stored
 * (James' own group aliases expand only after the queue, where the plaintext would already be on disk). For each
 * recipient that is a list address, the lists decide ({@link MailingLists#receive}); their copies are delivered
 * here ({@link OutgoingCopies}: each local member's copy encrypted to that member's key), then the list addresses
 * are taken off the envelope. Other recipients of the same message go on to the next steps untouched.
 * <p>
 * One refusal refuses the whole message (one SMTP answer per message): the sender reads why and can send again
 * without that list. Logs hold counts, never an address or a word of the message.
 */
public class ListExpansionHook implements JamesMessageHook {
    private static final Logger LOGGER = LoggerFactory.getLogger(ListExpansionHook.class);
    static final HookResult ACCEPTED = HookResult.builder()
            .hookReturnCode(HookReturnCode.ok())
            .smtpDescription(DSNStatus.getStatus(DSNStatus.SUCCESS, DSNStatus.CONTENT_OTHER) + " Message received")
            .build();
    static final HookResult FAILED = HookResult.builder()
            .hookReturnCode(HookReturnCode.denySoft())
            .smtpReturnCode("451")
            .smtpDescription(DSNStatus.getStatus(DSNStatus.TRANSIENT, DSNStatus.UNDEFINED_STATUS)
                    + " The list could not deliver the message now; try again later")
            .build();

    private final MailingLists lists;
    private final OutgoingCopies copies;

    @Inject
    public ListExpansionHook(MailingLists lists, OutgoingCopies copies) {
        this.lists = lists;
        this.copies = copies;
    }

    @Override
    public HookResult onMessage(SMTPSession session, Mail mail) {
        List<MailAddress> forLists = new ArrayList<>();
        List<MailAddress> others = new ArrayList<>();
        for (MailAddress recipient : mail.getRecipients()) {
            (lists.handles(recipient.asString()) ? forLists : others).add(recipient);
        }
        if (forLists.isEmpty()) {
            return HookResult.DECLINED;
        }
        try {
            byte[] message = bytesOf(mail);
            Optional<String> sender = mail.getMaybeSender().asOptional().map(MailAddress::asString);
            Optional<String> user = Optional.ofNullable(session.getUsername()).map(u -> u.asString());
            Optional<String> verdict = mail.getAttribute(AttributeName.of(AuthenticationVerdict.ATTRIBUTE))
                    .flatMap(attribute -> attribute.getValue().valueAs(String.class));
            List<MailingLists.Outcome> outcomes = new ArrayList<>();
            for (MailAddress list : forLists) {
                MailingLists.Outcome outcome = lists.receive(new MailingLists.Arrival(
                        list.asString().toLowerCase(java.util.Locale.ROOT), sender, user, verdict, message));
                if (outcome.isRefused()) {
                    return refusal(outcome);
                }
                outcomes.add(outcome);
            }
            int delivered = 0;
            for (MailingLists.Outcome outcome : outcomes) {
                OutgoingCopies.Delivered result = copies.deliver(outcome.copies());
                delivered += result.encryptedForAccounts() + result.queuedForOtherServers();
                outcome.afterDelivery().run();
            }
            LOGGER.info("Mail {} for {} list address(es): {} copies delivered", mail.getName(), forLists.size(), delivered);
        } catch (MessagingException | IOException | RuntimeException e) {
            LOGGER.error("Mail {} for a list not delivered: {}", mail.getName(), e.getClass().getSimpleName(), e);
            return FAILED;
        }
        if (others.isEmpty()) {
            return ACCEPTED;
        }
        mail.setRecipients(others);
        return HookResult.DECLINED;
    }

    private static HookResult refusal(MailingLists.Outcome outcome) {
        return HookResult.builder()
                .hookReturnCode(outcome.refusalCode() >= 500 ? HookReturnCode.deny() : HookReturnCode.denySoft())
                .smtpReturnCode(Integer.toString(outcome.refusalCode()))
                .smtpDescription(outcome.refusalText())
                .build();
    }

    private static byte[] bytesOf(Mail mail) throws IOException, MessagingException {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 16, mail.getMessageSize() + 1024));
        mail.getMessage().writeTo(out);
        return out.toByteArray();
    }
}
