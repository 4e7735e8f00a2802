package org.essaim.mailserver.guice;

import java.time.Clock;

import javax.inject.Inject;

import org.apache.james.events.EventBus;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.SessionProvider;
import org.apache.james.mailbox.jpa.JPAMailboxSessionMapperFactory;
import org.apache.james.mailbox.jpa.openjpa.OpenJPAMailboxManager;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.model.MessageId;
import org.apache.james.mailbox.store.StoreMailboxAnnotationManager;
import org.apache.james.mailbox.store.StoreMessageManager;
import org.apache.james.mailbox.store.StoreRightManager;
import org.apache.james.mailbox.store.mail.ThreadIdGuessingAlgorithm;
import org.apache.james.mailbox.store.mail.model.impl.MessageParser;
import org.apache.james.mailbox.store.quota.QuotaComponents;
import org.apache.james.mailbox.store.search.MessageSearchIndex;

/**
 * James' JPA mailbox manager whose mailboxes are {@link EssaimMessageManager}s (a large message is stored with
 * one copy of its body in memory instead of three). Everything else is {@link OpenJPAMailboxManager}'s.
 */
class EssaimMailboxManager extends OpenJPAMailboxManager {

    @Inject
    EssaimMailboxManager(JPAMailboxSessionMapperFactory mapperFactory, SessionProvider sessionProvider,
                         MessageParser messageParser, MessageId.Factory messageIdFactory, EventBus eventBus,
                         StoreMailboxAnnotationManager annotationManager, StoreRightManager storeRightManager,
                         QuotaComponents quotaComponents, MessageSearchIndex index,
                         ThreadIdGuessingAlgorithm threadIdGuessingAlgorithm, Clock clock) {
        super(mapperFactory, sessionProvider, messageParser, messageIdFactory, eventBus, annotationManager,
                storeRightManager, quotaComponents, index, threadIdGuessingAlgorithm, clock);
    }

    @Override
    protected StoreMessageManager createMessageManager(Mailbox mailboxRow, MailboxSession session) {
        return new EssaimMessageManager(getMapperFactory(), getMessageSearchIndex(), getEventBus(), getLocker(),
                mailboxRow, getQuotaComponents().getQuotaManager(), getQuotaComponents().getQuotaRootResolver(),
                getMessageIdFactory(), configuration.getBatchSizes(), getStoreRightManager(),
                getThreadIdGuessingAlgorithm(), getClock());
    }
}
