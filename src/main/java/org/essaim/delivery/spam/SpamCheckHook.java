package org.essaim.delivery.spam;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.dsn.DSNStatus;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.smtpserver.JamesMessageHook;
import org.apache.mailet.AttributeName;
import org.apache.mailet.Mail;
import org.essaim.delivery.LocalAccounts;
import org.essaim.delivery.NoticeTexts;
import org.essaim.delivery.TranslatedRefusal;
import org.essaim.delivery.authentication.AuthenticationVerdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spam check: runs at the end of DATA, after the arrival checks and before the encrypting step, while the message
 * is still in clear in memory. A refused message gets {@code 554 5.7.1} and nothing of it is stored; otherwise the
 * score and reasons are added as X-Spam-* headers (which the encrypting step then puts inside the ciphertext) and each
 * junked account's copy is directed to its Spam folder ({@link SpamFolder}).
 * <p>
 * Mail from an authenticated session (submission) is not judged: it is the members' own. Logs hold the queue name,
 * score and rule names only, never the client's address nor any text of the message.
 */
public class SpamCheckHook implements JamesMessageHook {
    private static final Logger LOGGER = LoggerFactory.getLogger(SpamCheckHook.class);
    /** Headers the check writes; a sender's own copies are removed first so they cannot pose as the verdict. */
    static final List<String> HEADERS = List.of("X-Spam-Score", "X-Spam-Status", "X-Spam-Reasons", "X-Spam-Engine");
    static final String AUTHENTICATION_ATTRIBUTE = AuthenticationVerdict.ATTRIBUTE;

    private final SpamJudge judge;
    private final LocalAccounts localAccounts;

    private final HookResult refusal;

    @Inject
    public SpamCheckHook(SpamJudge judge, LocalAccounts localAccounts, NoticeTexts texts) {
        this.judge = judge;
        this.localAccounts = localAccounts;
        this.refusal = TranslatedRefusal.of(HookReturnCode.deny(), "554",
                DSNStatus.getStatus(DSNStatus.PERMANENT, DSNStatus.SECURITY_AUTH), texts, "smtp.reply.spam");
    }

    @Override
    public HookResult onMessage(SMTPSession session, Mail mail) {
        if (session.getUsername() != null) {
            return HookResult.DECLINED;
        }
        List<String> accounts = localAccountsOf(mail);
        if (accounts.isEmpty()) {
            return HookResult.DECLINED;
        }
        try {
            MimeMessage message = mail.getMessage();
            for (String header : HEADERS) {
                message.removeHeader(header);
            }
            SpamVerdict verdict = judge.judge(new SpamJudge.Arrival(bytesOf(message),
                    mail.getMaybeSender().asOptional().map(MailAddress::asString), accounts, clientOf(session),
                    session.getAttachment(SMTPSession.CURRENT_HELO_NAME, ProtocolSession.State.Connection).orElse(""),
                    authenticationOf(mail)));
            if (verdict.reject()) {
                LOGGER.info("Mail {} refused as spam: score {} ({})", mail.getName(), verdict.formattedScore(),
                        String.join(" ", verdict.reasons()));
                return refusal;
            }
            message.setHeader("X-Spam-Score", verdict.formattedScore());
            message.setHeader("X-Spam-Status", verdict.junkAccounts().isEmpty() ? "No" : "Yes");
            message.setHeader("X-Spam-Reasons", String.join(" ", verdict.reasons()));
            message.setHeader("X-Spam-Engine", verdict.engine());
            for (String account : verdict.junkAccounts()) {
                SpamFolder.fileAsJunk(mail, account);
            }
            if (!verdict.junkAccounts().isEmpty()) {
                LOGGER.info("Mail {} filed as spam for {} of {} accounts: score {}", mail.getName(),
                        verdict.junkAccounts().size(), accounts.size(), verdict.formattedScore());
            }
        } catch (MessagingException | IOException | RuntimeException e) {
            // A broken check must not lose mail: deliver it unjudged, say so without details from the message.
            LOGGER.warn("Mail {} not checked for spam: {}", mail.getName(), e.getClass().getSimpleName());
        }
        return HookResult.DECLINED;
    }

    private List<String> localAccountsOf(Mail mail) {
        List<String> accounts = new ArrayList<>();
        for (MailAddress recipient : mail.getRecipients()) {
            for (MailAddress account : localAccounts.accountsReachedBy(recipient)) {
                if (!accounts.contains(account.asString())) {
                    accounts.add(account.asString());
                }
            }
        }
        return accounts;
    }

    private static Optional<InetAddress> clientOf(SMTPSession session) {
        InetSocketAddress remote = session.getRemoteAddress();
        return Optional.ofNullable(remote).map(InetSocketAddress::getAddress);
    }

    private static String authenticationOf(Mail mail) {
        return mail.getAttribute(AttributeName.of(AUTHENTICATION_ATTRIBUTE))
                .flatMap(attribute -> attribute.getValue().valueAs(String.class))
                .orElse("");
    }

    /**
     * The beginning of the message, as much as the check reads ({@link SpamJudge#SCANNED_BYTES}): a large message is
     * not copied into memory whole (issue 11 item 6).
     */
    static byte[] bytesOf(MimeMessage message) throws IOException, MessagingException {
        Prefix out = new Prefix(SpamJudge.SCANNED_BYTES);
        try {
            message.writeTo(out);
        } catch (Prefix.Full enough) {
            // the rest of the message is not read
        }
        return out.toByteArray();
    }

    /** Keeps the first bytes written to it, then stops the writer. */
    private static final class Prefix extends ByteArrayOutputStream {
        private final int limit;

        Prefix(int limit) {
            super(8192);
            this.limit = limit;
        }

        @Override
        public synchronized void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) {
            int room = limit - count;
            super.write(bytes, offset, Math.min(room, length));
            if (length >= room) {
                throw new Full();
            }
        }

        /** Unchecked, so it passes through javax.mail's writers untouched. */
        private static final class Full extends RuntimeException {
            Full() {
                super(null, null, false, false);
            }
        }
    }
}
