package org.essaim.mailserver.guice;

import javax.inject.Inject;
import javax.persistence.EntityManagerFactory;

import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.jpa.JPAMailboxSessionMapperFactory;
import org.apache.james.mailbox.jpa.mail.JPAModSeqProvider;
import org.apache.james.mailbox.jpa.mail.JPAUidProvider;
import org.apache.james.mailbox.store.mail.MessageMapper;

/** James' JPA mapper factory with Essaim's {@link HeaderLoadingMessageMapper} for messages; the rest unchanged. */
class EssaimMailboxSessionMapperFactory extends JPAMailboxSessionMapperFactory {
    private final EntityManagerFactory entityManagerFactory;
    private final JPAUidProvider uidProvider;
    private final JPAModSeqProvider modSeqProvider;

    @Inject
    EssaimMailboxSessionMapperFactory(EntityManagerFactory entityManagerFactory, JPAUidProvider uidProvider,
                                      JPAModSeqProvider modSeqProvider) {
        super(entityManagerFactory, uidProvider, modSeqProvider);
        this.entityManagerFactory = entityManagerFactory;
        this.uidProvider = uidProvider;
        this.modSeqProvider = modSeqProvider;
    }

    @Override
    public MessageMapper createMessageMapper(MailboxSession session) {
        return new HeaderLoadingMessageMapper(uidProvider, modSeqProvider, entityManagerFactory);
    }
}
