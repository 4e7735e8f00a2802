package org.essaim.mailserver.logins;

import java.net.InetAddress;
import java.time.Duration;

import javax.inject.Inject;
import javax.inject.Named;

import org.apache.james.core.Username;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.exception.BadCredentialsException;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.pop3server.mailbox.MailboxAdapterFactory;
import org.apache.james.protocols.api.Request;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.pop3.POP3Response;
import org.apache.james.protocols.pop3.POP3Session;
import org.apache.james.protocols.pop3.core.AbstractPassCmdHandler;
import org.apache.james.protocols.pop3.mailbox.Mailbox;

import reactor.core.publisher.Mono;

/**
 * POP3 PASS checked through the login throttle. Listed in pop3server.xml before James' core handlers, so it answers
 * every PASS in place of James' PassCmdHandler (org.apache.james.pop3server.core), which logs each wrong password
 * "with remote address" (the client's IP) and keeps the address of every successful login in memory for
 * POP-before-SMTP, a feature Essaim does not use. While the throttle says wait, the answer is
 * {@code -ERR [SYS/TEMP]} (RFC 3206: try again later) and the password is not looked at.
 */
public class ThrottledPop3Pass extends AbstractPassCmdHandler {

    private final MailboxManager mailboxes;
    private final MailboxAdapterFactory adapters;
    private final LoginAttempts attempts;

    @Inject
    public ThrottledPop3Pass(@Named("mailboxmanager") MailboxManager mailboxes, MailboxAdapterFactory adapters,
                             MetricFactory metrics, LoginAttempts attempts) {
        super(metrics);
        this.mailboxes = mailboxes;
        this.adapters = adapters;
        this.attempts = attempts;
    }

    @Override
    public Response onCommand(POP3Session session, Request request) {
        Username account = session.getUsername();
        if (session.getHandlerState() != POP3Session.AUTHENTICATION_USERSET || account == null
                || request.getArgument() == null) {
            return super.onCommand(session, request); // James answers out-of-order PASS as before
        }
        InetAddress client = session.getRemoteAddress().getAddress();
        Duration wait = attempts.admit(account.asString(), client);
        if (!wait.isZero()) {
            session.setHandlerState(POP3Session.AUTHENTICATION_READY);
            return new POP3Response(POP3Response.ERR_RESPONSE, "[SYS/TEMP] " + TooManyFailedLogins.message(wait));
        }
        boolean loggedIn = false;
        try {
            Response response = super.onCommand(session, request);
            loggedIn = POP3Response.OK_RESPONSE.equals(response.getRetCode());
            return response;
        } finally {
            if (loggedIn) {
                attempts.succeeded(account.asString(), client);
            } else {
                attempts.failed(account.asString(), client);
            }
        }
    }

    /** Opens the INBOX (created when missing) for the right password; null (no log line) for a wrong one. */
    @Override
    protected Mailbox auth(POP3Session session, Username username, String password) throws Exception {
        MailboxSession mailboxSession;
        try {
            mailboxSession = mailboxes.authenticate(username, password).withoutDelegation();
        } catch (BadCredentialsException e) {
            return null;
        }
        session.stopDetectingCommandInjection();
        mailboxes.startProcessingRequest(mailboxSession);
        try {
            MailboxPath inbox = MailboxPath.inbox(mailboxSession);
            if (!Boolean.TRUE.equals(Mono.from(mailboxes.mailboxExists(inbox, mailboxSession)).block())) {
                mailboxes.createMailbox(inbox, mailboxSession);
            }
            return adapters.create(mailboxes.getMailbox(inbox, mailboxSession), mailboxSession);
        } finally {
            mailboxes.endProcessingRequest(mailboxSession);
        }
    }
}
