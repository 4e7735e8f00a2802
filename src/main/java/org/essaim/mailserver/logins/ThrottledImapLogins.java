package org.essaim.mailserver.logins;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.james.imap.api.ImapConfiguration;
import org.apache.james.imap.api.ImapMessage;
import org.apache.james.imap.api.ImapSessionState;
import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.request.ImapRequest;
import org.apache.james.imap.api.message.response.ImapResponseMessage;
import org.apache.james.imap.api.message.response.StatusResponse;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapProcessor;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.message.request.AuthenticateRequest;
import org.apache.james.imap.message.request.IRAuthenticateRequest;
import org.apache.james.imap.message.request.LoginRequest;
import org.apache.james.imap.message.response.AuthenticateResponse;
import org.apache.james.imapserver.netty.ImapChannelUpstreamHandler;
import org.apache.james.util.MDCBuilder;
import org.slf4j.MDC;

import com.google.common.net.InetAddresses;

import reactor.core.publisher.Mono;

/**
 * IMAP LOGIN and AUTHENTICATE PLAIN checked through the login throttle: wraps James' processor chain (bound as the
 * {@link ImapProcessor} in James' injector) and leaves every other command to it. While the throttle says wait, the
 * command gets {@code NO [ALERT] Too many failed logins…} (ALERT: clients show the text) without the password being
 * looked at. AUTHENTICATE PLAIN without an initial response is asked for its credentials here and then handled as
 * one with it, so every password reaches James through a request whose login is known beforehand.
 */
public class ThrottledImapLogins implements ImapProcessor {

    private static final String PLAIN = "PLAIN";
    private static final InetAddress UNKNOWN_CLIENT = InetAddresses.forString("0.0.0.0");

    private final ImapProcessor james;
    private final LoginAttempts attempts;
    private final StatusResponseFactory responses;

    public ThrottledImapLogins(ImapProcessor james, LoginAttempts attempts, StatusResponseFactory responses) {
        this.james = james;
        this.attempts = attempts;
        this.responses = responses;
    }

    @Override
    public void configure(ImapConfiguration configuration) {
        james.configure(configuration);
    }

    @Override
    public void process(ImapMessage message, Responder responder, ImapSession session) {
        processReactive(message, responder, session).block();
    }

    @Override
    public Mono<Void> processReactive(ImapMessage message, Responder responder, ImapSession session) {
        if (session.getState() != ImapSessionState.NON_AUTHENTICATED || session.isPlainAuthDisallowed()) {
            return james.processReactive(message, responder, session); // James refuses these without a password check
        }
        if (message instanceof LoginRequest login && login.getUserid() != null) {
            return throttled(login, login.getUserid().asString(), responder, session);
        }
        if (message instanceof IRAuthenticateRequest withCredentials && PLAIN.equalsIgnoreCase(withCredentials.getAuthType())) {
            Optional<String> account = authenticationId(withCredentials.getInitialClientResponse());
            if (account.isEmpty()) {
                return refuse(withCredentials, HumanReadableText.AUTHENTICATION_FAILED, Optional.empty(), responder);
            }
            return throttled(withCredentials, account.get(), responder, session);
        }
        if (message instanceof AuthenticateRequest plain && PLAIN.equalsIgnoreCase(plain.getAuthType())) {
            return askForCredentials(plain, responder, session);
        }
        return james.processReactive(message, responder, session);
    }

    private Mono<Void> throttled(ImapRequest request, String account, Responder responder, ImapSession session) {
        InetAddress client = clientOf(session);
        Duration wait = attempts.admit(account, client);
        if (!wait.isZero()) {
            return refuse(request, new HumanReadableText("org.essaim.imap.TOO_MANY_FAILED_LOGINS",
                    TooManyFailedLogins.message(wait)), Optional.of(StatusResponse.ResponseCode.alert()), responder);
        }
        OutcomeWatch watch = new OutcomeWatch(request, responder, session, () -> attempts.succeeded(account, client),
                () -> attempts.failed(account, client));
        return james.processReactive(request, watch, session).doFinally(signal -> watch.failedUnlessDecided());
    }

    /**
     * Reports the login's outcome the moment James answers it, before the client can read that answer (James flushes
     * the OK before its processing ends, and a client that then disconnects cancels the rest): a tagged OK in the
     * authenticated state is a success, anything else, or no answer at all, a failure. Reported once.
     */
    private static final class OutcomeWatch implements Responder {
        private final ImapRequest request;
        private final Responder responder;
        private final ImapSession session;
        private final Runnable onSuccess;
        private final Runnable onFailure;
        private final AtomicBoolean decided = new AtomicBoolean();

        OutcomeWatch(ImapRequest request, Responder responder, ImapSession session, Runnable onSuccess, Runnable onFailure) {
            this.request = request;
            this.responder = responder;
            this.session = session;
            this.onSuccess = onSuccess;
            this.onFailure = onFailure;
        }

        @Override
        public void respond(ImapResponseMessage message) {
            if (message instanceof StatusResponse status && request.getTag().equals(status.getTag())
                    && decided.compareAndSet(false, true)) {
                boolean loggedIn = status.getServerResponseType() == StatusResponse.Type.OK
                        && session.getState() == ImapSessionState.AUTHENTICATED;
                (loggedIn ? onSuccess : onFailure).run();
            }
            responder.respond(message);
        }

        void failedUnlessDecided() {
            if (decided.compareAndSet(false, true)) {
                onFailure.run();
            }
        }

        @Override
        public void flush() {
            responder.flush();
        }
    }

    private Mono<Void> refuse(ImapRequest request, HumanReadableText text, Optional<StatusResponse.ResponseCode> code,
                              Responder responder) {
        return Mono.fromRunnable(() -> {
            responder.respond(code.map(c -> responses.taggedNo(request.getTag(), request.getCommand(), text, c))
                    .orElseGet(() -> responses.taggedNo(request.getTag(), request.getCommand(), text)));
            responder.flush();
        });
    }

    /**
     * RFC 4959 without an initial response: "+ " then the credentials on the next line. Processed like James' own
     * AuthenticateProcessor does it (synchronously, in the line handler, so a pipelined next command waits).
     */
    private Mono<Void> askForCredentials(AuthenticateRequest request, Responder responder, ImapSession session) {
        return Mono.fromRunnable(() -> session.executeSafely(() -> {
            responder.respond(new AuthenticateResponse());
            responder.flush();
            session.pushLineHandler((lineSession, line) -> {
                lineSession.popLineHandler();
                String credentials = new String(line, 0, Math.max(0, line.length - 2), StandardCharsets.US_ASCII);
                processReactive(new IRAuthenticateRequest(request.getAuthType(), request.getTag(), credentials),
                        responder, lineSession).block();
                responder.flush();
            });
        }));
    }

    /**
     * The authentication identity of SASL PLAIN ({@code [authzid] NUL authcid NUL password}, base64), read exactly as
     * James' AuthenticateProcessor reads it (blank parts dropped; two parts: login and password; three: authorization
     * identity, login, password), so no form James accepts escapes the throttle. Empty when James would refuse it.
     */
    static Optional<String> authenticationId(String initialResponse) {
        try {
            String decoded = new String(Base64.getDecoder().decode(initialResponse), StandardCharsets.UTF_8);
            List<String> parts = Arrays.stream(decoded.split("\0")).filter(part -> !part.isBlank()).toList();
            return switch (parts.size()) {
                case 2 -> Optional.of(parts.get(0));
                case 3 -> Optional.of(parts.get(1));
                default -> Optional.empty();
            };
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * James 3.8.1's ImapSession does not expose the client's address; the only public place that holds it is the
     * logging context James binds to each connection (its "ip" entry, an address literal: parsed without DNS).
     */
    static InetAddress clientOf(ImapSession session) {
        if (session.getAttribute(ImapChannelUpstreamHandler.MDC_KEY) instanceof MDCBuilder context) {
            String ip = MDCBuilder.withMdc(context, () -> MDC.get(MDCBuilder.IP));
            if (ip != null && InetAddresses.isInetAddress(ip)) {
                return InetAddresses.forString(ip);
            }
        }
        return UNKNOWN_CLIENT; // counted per account only
    }
}
