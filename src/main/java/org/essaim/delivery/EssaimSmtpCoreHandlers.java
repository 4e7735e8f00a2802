package org.essaim.delivery;

import java.util.List;

import org.apache.james.protocols.api.handler.CommandDispatcher;
import org.apache.james.protocols.api.handler.CommandHandlerResultLogger;
import org.apache.james.protocols.lib.handler.HandlersPackage;
import org.apache.james.protocols.smtp.core.ExpnCmdHandler;
import org.apache.james.protocols.smtp.core.HeloCmdHandler;
import org.apache.james.protocols.smtp.core.HelpCmdHandler;
import org.apache.james.protocols.smtp.core.NoopCmdHandler;
import org.apache.james.protocols.smtp.core.PostmasterAbuseRcptHook;
import org.apache.james.protocols.smtp.core.QuitCmdHandler;
import org.apache.james.protocols.smtp.core.RsetCmdHandler;
import org.apache.james.protocols.smtp.core.UnknownCmdHandler;
import org.apache.james.protocols.smtp.core.VrfyCmdHandler;
import org.apache.james.protocols.smtp.core.esmtp.AuthCmdHandler;
import org.apache.james.protocols.smtp.core.esmtp.EhloCmdHandler;
import org.apache.james.protocols.smtp.core.esmtp.MailSizeEsmtpExtension;
import org.apache.james.protocols.smtp.core.esmtp.StartTlsCmdHandler;
import org.apache.james.protocols.smtp.core.log.HookResultLogger;
import org.apache.james.smtpserver.AuthRequiredToRelayRcptHook;
import org.apache.james.smtpserver.JamesDataCmdHandler;
import org.apache.james.smtpserver.JamesMailCmdHandler;
import org.apache.james.smtpserver.JamesRcptCmdHandler;
import org.apache.james.smtpserver.JamesWelcomeMessageHandler;
import org.apache.james.smtpserver.SenderAuthIdentifyVerificationHook;
import org.apache.james.smtpserver.UsersRepositoryAuthHook;
import org.essaim.delivery.authentication.ArrivalAuthenticationHook;
import org.essaim.delivery.outbound.SubmissionFromPolicy;
import org.essaim.delivery.lists.ListExpansionHook;
import org.essaim.delivery.spam.SpamCheckHook;

/**
 * Essaim's SMTP core: James' standard command handlers (as in its CoreCmdHandlerLoader) with three swaps that
 * keep plaintext and client addresses off the disk, and the refusal of mail for accounts without a key:
 * <ul>
 * <li>{@link NoClientAddressReceivedHeader} instead of ReceivedDataLineFilter;</li>
 * <li>{@link NoClientAddressMailAttributes} instead of AddDefaultAttributesMessageHook;</li>
 * <li>{@link SpoolingDataLines} (a {@link PausableMessageHooks}) instead of DataLineJamesMessageHookHandler: the
 * message waits in memory or in an encrypted temp file, never in clear on disk, large mail needs little heap, and
 * the message hooks run inside the backup's pause;</li>
 * <li>{@link EncryptingSpoolHandler} instead of SendMailHandler (encrypts, stores local copies in the session,
 * queues the rest, answers 250 once durable);</li>
 * <li>plus {@link WaitForKeyRcptHook} after James' own recipient checks, and {@link DeliveryPausedMailHook};</li>
 * <li>plus {@link ArrivalAuthenticationHook} (SPF/DKIM/DMARC of mail from other servers) and
 * {@link SubmissionFromPolicy} (From:/Sender: of logged-in users);</li>
 * <li>plus {@link SpamCheckHook} (reads the message in clear, so before the encrypting step);</li>
 * <li>plus {@link ListExpansionHook} (mailing lists: expands in the session, before the encrypting step);</li>
 * <li>plus {@link StorageFloorRefusal} (452 while the disk is at its free-space floor) at MAIL FROM and just
 * before the last step;</li>
 * <li>plus {@link SmtpUtf8Announcement} (EHLO SMTPUTF8).</li>
 * </ul>
 * Named in smtpserver.xml as {@code <handlerchain coreHandlersPackage="...">}. Order matters: message hooks run in
 * list order, and the spool handler must be the last one.
 */
public class EssaimSmtpCoreHandlers implements HandlersPackage {

    private static final List<String> HANDLERS = List.of(
            JamesWelcomeMessageHandler.class.getName(),
            CommandDispatcher.class.getName(),
            AuthCmdHandler.class.getName(),
            JamesDataCmdHandler.class.getName(),
            EhloCmdHandler.class.getName(),
            ExpnCmdHandler.class.getName(),
            HeloCmdHandler.class.getName(),
            HelpCmdHandler.class.getName(),
            JamesMailCmdHandler.class.getName(),
            NoopCmdHandler.class.getName(),
            QuitCmdHandler.class.getName(),
            JamesRcptCmdHandler.class.getName(),
            RsetCmdHandler.class.getName(),
            VrfyCmdHandler.class.getName(),
            MailSizeEsmtpExtension.class.getName(),
            SmtpUtf8Announcement.class.getName(),
            UsersRepositoryAuthHook.class.getName(),
            AuthRequiredToRelayRcptHook.class.getName(),
            SenderAuthIdentifyVerificationHook.class.getName(),
            PostmasterAbuseRcptHook.class.getName(),
            WaitForKeyRcptHook.class.getName(),
            DeliveryPausedMailHook.class.getName(),
            NoClientAddressReceivedHeader.class.getName(),
            SpoolingDataLines.class.getName(), // James' DataLineJamesMessageHookHandler: spooled, inside the backup pause
            LineTooLongRefusal.class.getName(),
            StartTlsCmdHandler.class.getName(),
            NoClientAddressMailAttributes.class.getName(),
            // Content-reading checks (authentication results, spam verdict, list expansion) go here: before the
            // storage floor and the last step, which encrypts and stores.
            ArrivalAuthenticationHook.class.getName(),
            SubmissionFromPolicy.class.getName(),
            SpamCheckHook.class.getName(),
            StorageFloorRefusal.class.getName(),
            ListExpansionHook.class.getName(),
            EncryptingSpoolHandler.class.getName(),
            UnknownCmdHandler.class.getName(),
            CommandHandlerResultLogger.class.getName(),
            HookResultLogger.class.getName());

    @Override
    public List<String> getHandlers() {
        return HANDLERS;
    }
}
