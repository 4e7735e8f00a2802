package org.essaim.delivery.outbound;

import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.transport.mailets.RemoteDelivery;
import org.apache.james.transport.mailets.remote.delivery.Bouncer;
import org.apache.james.transport.mailets.remote.delivery.DeliveryRunnable;
import org.apache.james.transport.mailets.remote.delivery.DeliveryRunnables;
import org.apache.james.transport.mailets.remote.delivery.MailDelivrer;
import org.apache.james.transport.mailets.remote.delivery.RemoteDeliveryConfiguration;
import org.apache.mailet.MailetConfig;
import org.apache.mailet.MailetContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * James' RemoteDelivery (same parameters, queue, retries and bounces) whose attempts go through
 * {@link MtaStsDelivery}: recipient domains that publish an MTA-STS policy get their mail only over validated TLS
 * to the MX hosts they list. RemoteDelivery itself is kept for {@code service()} (grouping by domain, queueing);
 * its own delivery threads are not started, ours are.
 */
public class PolicyAwareRemoteDelivery extends RemoteDelivery {
    private static final Logger LOGGER = LoggerFactory.getLogger(PolicyAwareRemoteDelivery.class);

    private final DNSService dnsServer;
    private final DomainList domainList;
    private final MailQueueFactory<?> queueFactory;
    private final MetricFactory metricFactory;
    private final MtaStsPolicies policies;
    private final OutboundTrust trust;
    private DeliveryRunnable delivery;
    private MailQueue queue;

    @Inject
    public PolicyAwareRemoteDelivery(DNSService dnsServer, DomainList domainList, MailQueueFactory<?> queueFactory,
                                     MetricFactory metricFactory, MtaStsPolicies policies, OutboundTrust trust) {
        super(dnsServer, domainList, queueFactory, metricFactory, ThreadState.DO_NOT_START_THREADS);
        this.dnsServer = dnsServer;
        this.domainList = domainList;
        this.queueFactory = queueFactory;
        this.metricFactory = metricFactory;
        this.policies = policies;
        this.trust = trust;
    }

    @Override
    public void init() throws MessagingException {
        super.init();
        MailetContext context = getMailetContext();
        RemoteDeliveryConfiguration configuration = new RemoteDeliveryConfiguration(getMailetConfig(), domainList);
        RemoteDeliveryConfiguration validating = new RemoteDeliveryConfiguration(validatingTls(getMailetConfig()), domainList);
        queue = queueFactory.createQueue(configuration.getOutGoingQueueName());
        Bouncer bouncer = new Bouncer(configuration, context);
        MailDelivrer delivrer = new MailDelivrer(configuration,
                new MtaStsDelivery(configuration, validating, context, policies, trust), dnsServer, bouncer, context);
        delivery = DeliveryRunnables.create(queue, configuration, metricFactory, bouncer, delivrer, context);
        delivery.start();
    }

    @Override
    public void destroy() {
        if (delivery != null) {
            delivery.dispose();
        }
        try {
            if (queue != null) {
                queue.close();
            }
        } catch (IOException e) {
            LOGGER.debug("Error closing the outgoing queue", e);
        }
        super.destroy();
    }

    /**
     * The mailet's parameters for attempts under a policy: STARTTLS required (JavaMail refuses to go on in plain
     * text), TLS through {@link MtaStsTlsSocketFactory} (chain and MX name checked in the handshake), and no
     * "trust every certificate".
     */
    private static MailetConfig validatingTls(MailetConfig base) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (Iterator<String> names = base.getInitParameterNames(); names.hasNext(); ) {
            String name = names.next();
            parameters.put(name, base.getInitParameter(name));
        }
        parameters.remove("mail.smtp.ssl.trust");
        parameters.put("startTLS", "true");
        parameters.put("verifyServerIdentity", "false"); // checked by the socket factory against the MX name
        parameters.put("mail.smtp.starttls.required", "true");
        parameters.put("mail.smtp.ssl.socketFactory.class", MtaStsTlsSocketFactory.class.getName());
        parameters.put("mail.smtp.ssl.socketFactory.fallback", "false");
        return new MailetConfig() {
            @Override
            public String getInitParameter(String name) {
                return parameters.get(name);
            }

            @Override
            public Iterator<String> getInitParameterNames() {
                return parameters.keySet().iterator();
            }

            @Override
            public MailetContext getMailetContext() {
                return base.getMailetContext();
            }

            @Override
            public String getMailetName() {
                return base.getMailetName();
            }
        };
    }
}
