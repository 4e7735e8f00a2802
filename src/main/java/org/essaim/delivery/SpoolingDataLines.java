package org.essaim.delivery;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.protocols.api.ProtocolSession.AttachmentKey;
import org.apache.james.protocols.api.ProtocolSession.State;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.LineHandler;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.protocols.smtp.SMTPRetCode;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.core.SMTPMDCContextFactory;
import org.apache.james.protocols.smtp.dsn.DSNStatus;
import org.apache.james.server.core.MailImpl;
import org.apache.james.server.core.MimeMessageInputStreamSource;
import org.apache.james.smtpserver.DataLineJamesMessageHookHandler;
import org.apache.james.smtpserver.ExtendedSMTPSession;
import org.apache.james.smtpserver.SMTPConstants;
import org.essaim.delivery.spool.MessageSpool;
import org.essaim.delivery.spool.SpooledMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * James' end-of-DATA handler, with the message's lines kept in a {@link SpooledMessage} instead of James' buffer
 * (issue 11 item 6). James' {@code MimeMessageInputStreamSource} keeps a message in one growing array and hands out
 * a full copy of it to every reader (a 45 MB message needed several times its size of heap before any hook ran),
 * and above {@code james.message.memory.threshold} it writes the message in clear to {@code java.io.tmpdir}. Here
 * the lines go to a spool (memory up to 1 MiB, then a temp file encrypted under a key held only in memory), and
 * the Mail handed to the message hooks reads from it without copies. Everything else is James' behaviour
 * ({@code DataLineJamesMessageHookHandler.onLine} of 3.8.1): dot-unstuffing, bare line feeds refused (SMTP
 * smuggling), one reply per DATA, the hooks run by {@link #processExtensions}.
 * <p>
 * Takes the place of {@link DataLineJamesMessageHookHandler} in {@link EssaimSmtpCoreHandlers}; James' own
 * buffer ({@code mmiss}) stays empty and is only used for its name. Being a {@link PausableMessageHooks}, the message
 * hooks run inside the backup's pause, as there.
 */
public class SpoolingDataLines extends PausableMessageHooks {
    private static final Logger LOGGER = LoggerFactory.getLogger(SpoolingDataLines.class);
    private static final AttachmentKey<Receiving> RECEIVING = AttachmentKey.of("essaim.spooled-data", Receiving.class);
    private static final MessageSpool SPOOL = MessageSpool.inTemporaryDirectory();

    @Inject
    public SpoolingDataLines(DeliveryPause pause) {
        super(pause);
    }

    /** The spool of the DATA being received, tied to James' name for it (a new DATA gets a new one). */
    private record Receiving(String name, SpooledMessage message) {
    }

    @Override
    public Response onLine(SMTPSession session, byte[] line, LineHandler<SMTPSession> next) {
        MimeMessageInputStreamSource mmiss = ((ExtendedSMTPSession) session).getMimeMessageWriter();
        SpooledMessage message = receiving(session, mmiss.getSourceId());
        if (DETECT_SMTP_SMUGGLING && (line.length < 2 || line[line.length - 2] != '\r' || line[line.length - 1] != '\n')) {
            // James' own handler gives the refusal (500 5.0.0 line delimiter must be CRLF, session ended).
            message.close();
            return super.onLine(session, line, next);
        }
        try {
            if (line.length == 3 && line[0] == '.') {
                return endOfData(session, mmiss, message);
            } else if (line[0] == '.' && line[1] == '.') {
                message.output().write(line, 1, line.length - 1);
            } else {
                message.output().write(line);
            }
        } catch (IOException e) {
            message.close();
            LifecycleUtil.dispose(mmiss);
            SMTPResponse response = new SMTPResponse(SMTPRetCode.LOCAL_ERROR, DSNStatus.getStatus(DSNStatus.TRANSIENT,
                    DSNStatus.UNDEFINED_STATUS) + " Error processing message");
            response.setEndSession(true);
            session.popLineHandler();
            LOGGER.error("Error while receiving DATA: {}", e.getClass().getSimpleName());
            return response;
        }
        return null;
    }

    private static SpooledMessage receiving(SMTPSession session, String name) {
        Receiving current = session.getAttachment(RECEIVING, State.Transaction).orElse(null);
        if (current != null && current.name().equals(name)) {
            return current.message();
        }
        if (current != null) {
            current.message().close();
        }
        SpooledMessage message = SPOOL.newMessage();
        session.setAttachment(RECEIVING, new Receiving(name, message), State.Transaction);
        return message;
    }

    private Response endOfData(SMTPSession session, MimeMessageInputStreamSource mmiss, SpooledMessage message) {
        String mailName = mmiss.getSourceId();
        try (Closeable context = SMTPMDCContextFactory.forSession(session).addToContext("mail", mailName).build()) {
            message.output().close();
            session.removeAttachment(RECEIVING, State.Transaction);
            MailImpl mail = createMail(session, mailName);
            session.setAttachment(SMTPConstants.MAIL, mail, State.Transaction);
            try {
                mail.setMessageContent(message); // the Mail now owns the spool: disposing it frees the spool
                Response response = processExtensions(session, mail, mmiss);
                session.popLineHandler();
                return response;
            } catch (MessagingException e) {
                LOGGER.info("Unexpected error handling DATA stream: {}", e.getClass().getSimpleName());
                return new SMTPResponse(SMTPRetCode.LOCAL_ERROR, "Unexpected error handling DATA stream.");
            } finally {
                LifecycleUtil.dispose(mmiss);
                LifecycleUtil.dispose(mail);
                message.close();
            }
        } catch (IOException e) {
            message.close();
            LOGGER.error("Error while receiving DATA: {}", e.getClass().getSimpleName());
            session.popLineHandler();
            return new SMTPResponse(SMTPRetCode.LOCAL_ERROR, DSNStatus.getStatus(DSNStatus.TRANSIENT,
                    DSNStatus.UNDEFINED_STATUS) + " Error processing message");
        }
    }

    private static MailImpl createMail(SMTPSession session, String mailName) {
        List<MailAddress> recipients = session.getAttachment(SMTPSession.RCPT_LIST, State.Transaction).orElse(List.of());
        MaybeSender sender = session.getAttachment(SMTPSession.SENDER, State.Transaction).orElse(MaybeSender.nullSender());
        return MailImpl.builder()
                .name(mailName)
                .sender(sender)
                .addRecipients(recipients)
                .build();
    }
}
