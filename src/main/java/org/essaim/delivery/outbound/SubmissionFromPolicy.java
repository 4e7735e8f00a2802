package org.essaim.delivery.outbound;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import javax.inject.Inject;
import javax.mail.Address;
import javax.mail.MessagingException;
import javax.mail.internet.AddressException;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.Username;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.rrt.api.RecipientRewriteTable;
import org.apache.james.rrt.api.RecipientRewriteTableException;
import org.apache.james.rrt.lib.Mapping;
import org.apache.james.rrt.lib.MappingSource;
import org.apache.james.smtpserver.JamesMessageHook;
import org.apache.mailet.Mail;
import org.essaim.delivery.NoticeTexts;
import org.essaim.delivery.TranslatedRefusal;

/**
 * RFC 6409 section 8: on submission, the {@code From:} and {@code Sender:} header fields must name the logged-in
 * account or one of its aliases; James checks only the envelope (MAIL FROM). Without this, a member could write as
 * another member and Essaim would sign it with the domain's DKIM key. Refused with 550 5.7.1 naming the addresses
 * the account may use. Mail from other servers (no login) is not concerned.
 */
public class SubmissionFromPolicy implements JamesMessageHook {
    private final RecipientRewriteTable aliases;
    private final NoticeTexts texts;

    @Inject
    public SubmissionFromPolicy(RecipientRewriteTable aliases, NoticeTexts texts) {
        this.aliases = aliases;
        this.texts = texts;
    }

    @Override
    public HookResult onMessage(SMTPSession session, Mail mail) {
        Username user = session.getUsername();
        if (user == null) {
            return HookResult.DECLINED;
        }
        Set<String> allowed = allowedAddresses(user);
        try {
            MimeMessage message = mail.getMessage();
            for (String field : List.of("From", "Sender")) {
                for (String address : addressesIn(message, field)) {
                    if (!allowed.contains(address)) {
                        return refused(field, allowed);
                    }
                }
            }
            return HookResult.DECLINED;
        } catch (MessagingException e) {
            return refused("From", allowed);
        }
    }

    private Set<String> allowedAddresses(Username user) {
        Set<String> allowed = new TreeSet<>();
        allowed.add(user.asString().toLowerCase(Locale.ROOT));
        try {
            aliases.listSources(Mapping.alias(user.asString()))
                    .map(MappingSource::asMailAddressString)
                    .forEach(alias -> allowed.add(alias.toLowerCase(Locale.ROOT)));
        } catch (RecipientRewriteTableException e) {
            // the account's own address stays allowed
        }
        return allowed;
    }

    private static List<String> addressesIn(MimeMessage message, String field) throws MessagingException {
        String[] values = message.getHeader(field);
        List<String> addresses = new ArrayList<>();
        if (values == null) {
            return addresses;
        }
        for (String value : values) {
            try {
                for (Address address : InternetAddress.parseHeader(value, false)) {
                    if (address instanceof InternetAddress internet && internet.getAddress() != null) {
                        addresses.add(internet.getAddress().toLowerCase(Locale.ROOT));
                    }
                }
            } catch (AddressException e) {
                addresses.add(value.trim().toLowerCase(Locale.ROOT)); // unreadable: refused, as not allowed
            }
        }
        return addresses;
    }

    private HookResult refused(String field, Set<String> allowed) {
        return TranslatedRefusal.of(HookReturnCode.deny(), "550", "5.7.1", texts, "smtp.reply.notYourAddress", field,
                String.join(", ", allowed));
    }
}
