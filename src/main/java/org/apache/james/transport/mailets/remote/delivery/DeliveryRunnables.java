package org.apache.james.transport.mailets.remote.delivery;

import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.queue.api.MailQueue;
import org.apache.mailet.MailetContext;

/**
 * Essaim: James 3.8.1 builds RemoteDelivery's {@link DeliveryRunnable} with a {@link MailDelivrer} of its own
 * making; the constructor that takes one is package-private ({@code @VisibleForTesting}). Essaim's
 * {@code org.essaim.delivery.outbound.PolicyAwareRemoteDelivery} passes a MailDelivrer whose per-host delivery
 * enforces MTA-STS (RFC 8461), so it reaches that constructor through this one class in James' package. Nothing
 * else of James is changed: queueing, retries and bounces stay RemoteDelivery's.
 */
public final class DeliveryRunnables {
    private DeliveryRunnables() {
    }

    public static DeliveryRunnable create(MailQueue queue, RemoteDeliveryConfiguration configuration,
                                          MetricFactory metricFactory, Bouncer bouncer, MailDelivrer mailDelivrer,
                                          MailetContext mailetContext) {
        return new DeliveryRunnable(queue, configuration, metricFactory, bouncer, mailDelivrer,
                DeliveryRunnable.CURRENT_DATE_SUPPLIER, mailetContext);
    }
}
