package org.essaim.mailserver.imap;

import java.util.List;

import javax.inject.Inject;

import org.apache.james.imap.api.message.Capability;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.message.request.IDRequest;
import org.apache.james.imap.processor.AbstractMailboxProcessor;
import org.apache.james.imap.processor.CapabilityImplementingProcessor;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.util.MDCBuilder;

import com.google.common.collect.ImmutableList;

import reactor.core.publisher.Mono;

/**
 * IMAP ID (RFC 2971) names the server: {@code * ID ("name" "Essaim")}. James 3.8.1 answers an empty list and logs
 * every client's parameters at INFO; neither is useful. No version is given (it only helps an attacker).
 */
public class EssaimIdProcessor extends AbstractMailboxProcessor<IDRequest> implements CapabilityImplementingProcessor {

    @Inject
    public EssaimIdProcessor(MailboxManager mailboxManager, StatusResponseFactory factory, MetricFactory metricFactory) {
        super(IDRequest.class, mailboxManager, factory, metricFactory);
    }

    @Override
    protected Mono<Void> processRequestReactive(IDRequest request, ImapSession session, Responder responder) {
        responder.respond(new ServerIdResponse("Essaim"));
        return unsolicitedResponses(session, responder, false)
                .then(Mono.fromRunnable(() -> okComplete(request, responder)));
    }

    @Override
    public List<Capability> getImplementedCapabilities(ImapSession session) {
        return ImmutableList.of(Capability.of("ID"));
    }

    @Override
    protected MDCBuilder mdc(IDRequest request) {
        return MDCBuilder.create().addToContext(MDCBuilder.ACTION, "ID");
    }
}
