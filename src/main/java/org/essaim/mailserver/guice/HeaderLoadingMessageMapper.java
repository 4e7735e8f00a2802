package org.essaim.mailserver.guice;

import java.util.Iterator;
import java.util.List;

import javax.persistence.EntityManagerFactory;
import javax.persistence.PersistenceException;

import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.jpa.JPAId;
import org.apache.james.mailbox.jpa.mail.JPAMessageMapper;
import org.apache.james.mailbox.jpa.mail.JPAModSeqProvider;
import org.apache.james.mailbox.jpa.mail.JPAUidProvider;
import org.apache.james.mailbox.jpa.mail.model.openjpa.JPAMailboxMessage;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.mailbox.model.UpdatedFlags;
import org.apache.james.mailbox.store.mail.model.MailboxMessage;
import org.apache.james.mailbox.store.transaction.Mapper.Transaction;
import org.apache.openjpa.persistence.FetchPlan;
import org.apache.openjpa.persistence.OpenJPAPersistence;

import com.google.common.collect.ImmutableList;

import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * James' JPA message mapper, with the message's header (and, for whole messages, body) columns read in the same
 * SELECT as the rest of the row. Stock James maps them as lazy LOBs, so an IMAP FETCH of ENVELOPE for 1 000
 * messages ran 1 + 1 000 queries (one per header, each built by OpenJPA afresh: the N+1 the issue-15 profile
 * showed as {@code JDBCStoreManager.load} and OpenJPA's SQL building under {@code EnvelopeBuilder}).
 * Metadata-only fetches (FLAGS, UID, sizes) stay as they were. \Recent is cleared by one statement per range
 * ({@link RecentResetInOneStatement}).
 */
class HeaderLoadingMessageMapper extends JPAMessageMapper {
    private final JPAModSeqProvider modSeqProvider;

    HeaderLoadingMessageMapper(JPAUidProvider uidProvider, JPAModSeqProvider modSeqProvider,
                               EntityManagerFactory entityManagerFactory) {
        super(uidProvider, modSeqProvider, entityManagerFactory);
        this.modSeqProvider = modSeqProvider;
    }

    /**
     * Replaces James 3.8.1's {@code MessageMapper.resetRecent} default (load, change and save every recent message
     * one by one) by bulk updates, in the request's transaction when one is open, else in one of their own. Instances this mapper
     * holds in memory are evicted afterwards, so a later read in the same request sees the cleared flag.
     * <p>
     * The open transaction is SELECT's: {@code AbstractSelectionProcessor.selectMailbox} asks
     * {@code getMetaDataReactive(RESET, ...)}, and {@link EssaimMessageManager#getMetaDataReactive} (as James'
     * {@code OpenJPAMessageManager}) wraps the whole metadata read in {@code TransactionalMapper.executeReactive}:
     * it begins a transaction on this session's mapper, reads next UID, highest mod-sequence and first unseen,
     * resets \Recent here (on a boundedElastic thread, one step after another, never concurrently), reads the
     * counters, then commits. So the reset must not commit by itself: a nested {@code execute} would begin a second
     * transaction on the same EntityManager (OpenJPA refuses) and split SELECT's read. It commits with the rest, as
     * upstream's row-by-row saves do; the FlagsUpdated event is dispatched by James before that commit, as upstream.
     * The new mod-sequence comes from {@code JPAModSeqProvider}, which uses a transaction of its own (as upstream).
     * <p>
     * {@code executeReactive} rolls back only on a {@link MailboxException}; the IMAP session keeps its mapper (and
     * EntityManager) for its whole life (James 3.8.1's IMAP does not end requests), so a bare
     * {@link PersistenceException} (a lock timeout, say) would leave its transaction open and every later command of
     * the session failing at "Begin of transaction failed". Hence the wrapping.
     */
    @Override
    public List<UpdatedFlags> resetRecent(Mailbox mailbox) throws MailboxException {
        Transaction<List<UpdatedFlags>> reset = () -> RecentResetInOneStatement.reset(getEntityManager(),
                (JPAId) mailbox.getMailboxId(), () -> modSeqProvider.nextModSeq(mailbox));
        // within a transaction this request already began, the change commits with it (as upstream's saves do)
        List<UpdatedFlags> updates;
        try {
            updates = getEntityManager().getTransaction().isActive() ? reset.run() : execute(reset);
        } catch (PersistenceException e) {
            throw new MailboxException("Clearing \\Recent failed in mailbox " + mailbox.getMailboxId().serialize(), e);
        }
        if (!updates.isEmpty()) {
            OpenJPAPersistence.cast(getEntityManager()).evictAll();
        }
        return updates;
    }

    @Override
    public Iterator<MailboxMessage> findInMailbox(Mailbox mailbox, MessageRange set, FetchType type, int max)
            throws MailboxException {
        if (type != FetchType.HEADERS && type != FetchType.FULL) {
            return super.findInMailbox(mailbox, set, type, max);
        }
        FetchPlan plan = OpenJPAPersistence.cast(getEntityManager()).getFetchPlan();
        plan.addField(JPAMailboxMessage.class, "header");
        if (type == FetchType.FULL) {
            plan.addField(JPAMailboxMessage.class, "body");
        }
        try {
            // read the whole result while the plan is in force
            return ImmutableList.copyOf(super.findInMailbox(mailbox, set, type, max)).iterator();
        } finally {
            plan.removeField(JPAMailboxMessage.class, "header");
            plan.removeField(JPAMailboxMessage.class, "body");
        }
    }

    @Override
    public Flux<MailboxMessage> findInMailboxReactive(Mailbox mailbox, MessageRange set, FetchType type, int limit) {
        if (type != FetchType.HEADERS && type != FetchType.FULL) {
            return super.findInMailboxReactive(mailbox, set, type, limit);
        }
        return Flux.defer(() -> {
            try {
                List<MailboxMessage> messages = ImmutableList.copyOf(findInMailbox(mailbox, set, type, limit));
                return Flux.fromIterable(messages);
            } catch (MailboxException e) {
                return Flux.error(e);
            }
        }).subscribeOn(Schedulers.boundedElastic());
    }
}
