package org.essaim.mailserver.guice;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.mail.Flags;
import javax.persistence.EntityManager;

import org.apache.james.mailbox.ModSeq;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.jpa.JPAId;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.mailbox.model.UpdatedFlags;

/**
 * Clears \Recent in a mailbox with one UPDATE per range of recent messages (one in the usual case: the new mail
 * at the end of the mailbox), instead of James 3.8.1's {@code MessageMapper.resetRecent} default, which loads
 * every recent message as an entity (with its eagerly fetched properties and user flags), changes it and saves
 * it row by row: the first SELECT after 10 000 new messages took 26–33 s that way (issue 15). James' result is
 * kept exactly: one {@link UpdatedFlags} per message with its old flags (read by two projection queries: system
 * flags, then user flags) and the new ones without \Recent, all with one new mod-sequence, as James gives one
 * mod-sequence to one flag update. Each range is bounded by the UIDs that were read, so a message that arrives
 * meanwhile stays recent for the next session, as it would upstream.
 */
final class RecentResetInOneStatement {
    private RecentResetInOneStatement() {
    }

    /** Must run inside a transaction of {@code entityManager}; returns the flag changes made. */
    static List<UpdatedFlags> reset(EntityManager entityManager, JPAId mailboxId, ModSeqSupplier nextModSeq)
            throws org.apache.james.mailbox.exception.MailboxException {
        Map<Long, Flags> oldFlags = recentMessagesFlags(entityManager, mailboxId.getRawId());
        if (oldFlags.isEmpty()) {
            return List.of();
        }
        ModSeq modSeq = nextModSeq.next();
        List<MessageUid> uids = oldFlags.keySet().stream().map(MessageUid::of).toList();
        for (MessageRange range : MessageRange.toRanges(uids)) {
            entityManager.createQuery("UPDATE MailboxMessage m SET m.recent = FALSE, m.modSeq = :modSeq "
                            + "WHERE m.mailbox.mailboxId = :id AND m.recent = TRUE AND m.uid BETWEEN :from AND :to")
                    .setParameter("modSeq", modSeq.asLong())
                    .setParameter("id", mailboxId.getRawId())
                    .setParameter("from", range.getUidFrom().asLong())
                    .setParameter("to", range.getUidTo().asLong())
                    .executeUpdate();
        }
        List<UpdatedFlags> updates = new ArrayList<>(oldFlags.size());
        oldFlags.forEach((uid, before) -> {
            Flags after = new Flags(before);
            after.remove(Flags.Flag.RECENT);
            updates.add(UpdatedFlags.builder()
                    .uid(MessageUid.of(uid))
                    .modSeq(modSeq)
                    .oldFlags(before)
                    .newFlags(after)
                    .build());
        });
        return updates;
    }

    private static Map<Long, Flags> recentMessagesFlags(EntityManager entityManager, long mailboxId) {
        Map<Long, Flags> flags = new LinkedHashMap<>();
        List<?> rows = entityManager.createQuery("SELECT m.uid, m.answered, m.deleted, m.draft, m.flagged, m.seen "
                        + "FROM MailboxMessage m WHERE m.mailbox.mailboxId = :id AND m.recent = TRUE ORDER BY m.uid")
                .setParameter("id", mailboxId)
                .getResultList();
        for (Object row : rows) {
            Object[] columns = (Object[]) row;
            Flags each = new Flags(Flags.Flag.RECENT);
            set(each, columns[1], Flags.Flag.ANSWERED);
            set(each, columns[2], Flags.Flag.DELETED);
            set(each, columns[3], Flags.Flag.DRAFT);
            set(each, columns[4], Flags.Flag.FLAGGED);
            set(each, columns[5], Flags.Flag.SEEN);
            flags.put(((Number) columns[0]).longValue(), each);
        }
        if (!flags.isEmpty()) {
            List<?> userFlags = entityManager.createQuery("SELECT m.uid, f.name FROM MailboxMessage m JOIN m.userFlags f "
                            + "WHERE m.mailbox.mailboxId = :id AND m.recent = TRUE")
                    .setParameter("id", mailboxId)
                    .getResultList();
            for (Object row : userFlags) {
                Object[] columns = (Object[]) row;
                Flags each = flags.get(((Number) columns[0]).longValue());
                if (each != null) {
                    each.add((String) columns[1]);
                }
            }
        }
        return flags;
    }

    private static void set(Flags flags, Object column, Flags.Flag flag) {
        if (Boolean.TRUE.equals(column)) {
            flags.add(flag);
        }
    }

    /** James' mod-sequence provider, called once and only when there is something to reset. */
    interface ModSeqSupplier {
        ModSeq next() throws org.apache.james.mailbox.exception.MailboxException;
    }
}
