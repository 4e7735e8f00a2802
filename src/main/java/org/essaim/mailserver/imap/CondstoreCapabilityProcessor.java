package org.essaim.mailserver.imap;

import javax.inject.Inject;

import org.apache.james.imap.api.ImapConfiguration;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.processor.CapabilityProcessor;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.metrics.api.MetricFactory;

import com.google.common.collect.ImmutableSet;

/**
 * Advertises CONDSTORE (RFC 7162). James 3.8.1 implements CONDSTORE and QRESYNC, and advertises QRESYNC, but
 * leaves CONDSTORE out of CAPABILITY unless {@code ImapConfiguration.isCondstoreEnable()} — which its
 * imapserver.xml reader never sets (JAMES-2055 added the switch for mailboxes without permanent mod-sequences;
 * Essaim's JPA mailboxes keep them). A client then saw QRESYNC, which implies CONDSTORE, without CONDSTORE.
 */
public class CondstoreCapabilityProcessor extends CapabilityProcessor {

    @Inject
    public CondstoreCapabilityProcessor(MailboxManager mailboxManager, StatusResponseFactory factory, MetricFactory metricFactory) {
        super(mailboxManager, factory, metricFactory);
    }

    @Override
    public void configure(ImapConfiguration configuration) {
        super.configure(withCondstore(configuration));
    }

    static ImapConfiguration withCondstore(ImapConfiguration configuration) {
        ImapConfiguration.Builder builder = ImapConfiguration.builder()
                .enableIdle(configuration.isEnableIdle())
                .idleTimeInterval(configuration.getIdleTimeInterval())
                .idleTimeIntervalUnit(configuration.getIdleTimeIntervalUnit())
                .disabledCaps(configuration.getDisabledCaps().stream().map(capability -> capability.asString())
                        .collect(ImmutableSet.toImmutableSet()))
                .maxQueueSize(configuration.getMaxQueueSize())
                .concurrentRequests(configuration.getConcurrentRequests())
                .isProvisionDefaultMailboxes(configuration.isProvisionDefaultMailboxes())
                .withCustomProperties(configuration.getCustomProperties())
                .isCondstoreEnable(true);
        configuration.getAppendLimit().ifPresent(builder::appendLimit);
        return builder.build();
    }
}
