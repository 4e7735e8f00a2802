package org.essaim.delivery.outbound;

import java.io.IOException;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

import javax.mail.MessagingException;
import javax.mail.SendFailedException;
import javax.mail.internet.InternetAddress;
import javax.net.ssl.SSLException;

import org.apache.james.transport.mailets.remote.delivery.ExecutionResult;
import org.apache.james.transport.mailets.remote.delivery.MailDelivrerToHost;
import org.apache.james.transport.mailets.remote.delivery.RemoteDeliveryConfiguration;
import org.apache.mailet.HostAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One delivery attempt to one MX host, under the recipient domain's MTA-STS policy (RFC 8461 §5) when it has one.
 * <ul>
 * <li>No policy: James' opportunistic delivery (STARTTLS when offered, any certificate).</li>
 * <li>{@code enforce}: only an MX host the policy lists, only over STARTTLS with a certificate that chains to a
 * trusted authority and names that MX host. Anything else fails this host <em>temporarily</em> (the next MX is
 * tried, then the mail waits for the next retry): never plain text, never an unlisted host.</li>
 * <li>{@code testing}: the same checks, but a failure is only reported (logged) and the mail goes as without a
 * policy.</li>
 * </ul>
 * The message is never read here; the log names the domain, the MX host and what failed.
 */
public class MtaStsDelivery extends MailDelivrerToHost {
    private static final Logger LOGGER = LoggerFactory.getLogger(MtaStsDelivery.class);

    private final MailDelivrerToHost validating;
    private final MtaStsPolicies policies;
    private final OutboundTrust trust;

    /**
     * @param opportunistic James' usual configuration
     * @param validating    the same with STARTTLS required and {@link MtaStsTlsSocketFactory} as its TLS layer
     */
    public MtaStsDelivery(RemoteDeliveryConfiguration opportunistic, RemoteDeliveryConfiguration validating,
                          MailetContext context, MtaStsPolicies policies, OutboundTrust trust) {
        super(opportunistic, context);
        this.validating = new MailDelivrerToHost(validating, context);
        this.policies = policies;
        this.trust = trust;
    }

    @Override
    public ExecutionResult tryDeliveryToHost(Mail mail, Collection<InternetAddress> addresses, HostAddress host)
            throws MessagingException {
        String domain = mail.getRecipients().iterator().next().getDomain().asString().toLowerCase(Locale.ROOT);
        // the admin's "retry now" (once: a later timed retry of the same mail uses the remembered answer again)
        boolean afresh = mail.removeAttribute(OutgoingQueue.RETRIED_NOW).isPresent();
        Optional<MtaStsPolicy> policy = afresh ? policies.policyAfresh(domain) : policies.policyFor(domain);
        if (policy.isEmpty()) {
            return super.tryDeliveryToHost(mail, addresses, host);
        }
        boolean enforce = policy.get().mode() == MtaStsPolicy.Mode.ENFORCE;
        String mx = withoutFinalDot(host.getHostName());
        if (!policy.get().allowsMx(mx)) {
            String problem = "MTA-STS policy of " + domain + " does not list the MX host " + mx;
            if (enforce) {
                throw notThisHost(problem, null);
            }
            LOGGER.warn("{} (policy in testing mode: delivered anyway)", problem);
            return super.tryDeliveryToHost(mail, addresses, host);
        }
        try {
            return MtaStsTlsSocketFactory.delivering(mx, trust,
                    () -> validating.tryDeliveryToHost(mail, addresses, host));
        } catch (SendFailedException refused) {
            throw refused; // the remote server's answer about recipients: nothing to do with TLS
        } catch (MessagingException e) {
            if (!isTlsFailure(e)) {
                throw e;
            }
            String problem = "MTA-STS policy of " + domain + " requires TLS with a valid certificate for " + mx
                    + ": " + describe(e);
            if (enforce) {
                throw notThisHost(problem, e);
            }
            LOGGER.warn("{} (policy in testing mode: delivered without it)", problem);
            return super.tryDeliveryToHost(mail, addresses, host);
        }
    }

    /**
     * A failure of this host only: James' MailDelivrer tries the next MX on a MessagingException whose next
     * exception is an IOException, and counts the last one as temporary (it carries no SMTP reply code).
     */
    private static MessagingException notThisHost(String problem, Exception cause) {
        LOGGER.warn("{}: not delivered there; the mail waits", problem);
        IOException io = new IOException(problem, cause);
        return new MessagingException(problem, io);
    }

    private static boolean isTlsFailure(MessagingException e) {
        if (e.getMessage() != null && e.getMessage().contains("STARTTLS")) {
            return true; // "STARTTLS is required but host does not support STARTTLS"
        }
        for (Throwable cause = e; cause != null; cause = next(cause)) {
            if (cause instanceof SSLException) {
                return true;
            }
        }
        return false;
    }

    private static Throwable next(Throwable t) {
        if (t instanceof MessagingException m && m.getNextException() != null && m.getNextException() != t) {
            return m.getNextException();
        }
        return t.getCause() == t ? null : t.getCause();
    }

    private static String describe(MessagingException e) {
        Throwable deepest = e;
        for (Throwable cause = e; cause != null; cause = next(cause)) {
            deepest = cause;
        }
        return deepest.getMessage() == null ? deepest.getClass().getSimpleName() : deepest.getMessage();
    }

    private static String withoutFinalDot(String host) {
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }
}
