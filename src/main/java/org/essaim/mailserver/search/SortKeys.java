package org.essaim.mailserver.search;

import java.util.Comparator;
import java.util.Date;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.james.mailbox.model.SearchQuery;
import org.apache.james.mailbox.store.search.SearchUtil;
import org.apache.james.mime4j.dom.address.Address;
import org.apache.james.mime4j.dom.address.AddressList;
import org.apache.james.mime4j.dom.address.Group;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.field.address.LenientAddressParser;
import org.apache.james.mime4j.field.datetime.parser.DateTimeParser;

/**
 * RFC 5256 sort keys of a message, computed once per message from its metadata and outer headers: ARRIVAL
 * (internal date), DATE (the Date header in UTC, else the internal date), FROM/TO/CC (the local part of the first
 * address, without case), SIZE, SUBJECT (the base subject). Ties go by UID, i.e. by sequence number.
 */
final class SortKeys {
    private SortKeys() {
    }

    static boolean needsHeaders(SearchQuery.Sort sort) {
        return switch (sort.getSortClause()) {
            case MailboxCc, MailboxFrom, MailboxTo, BaseSubject, SentDate -> true;
            default -> false;
        };
    }

    static Comparator<ScannedMessage> comparator(List<SearchQuery.Sort> sorts) {
        Map<ScannedMessage, Comparable<?>[]> cache = new IdentityHashMap<>();
        return (a, b) -> {
            Comparable<?>[] ka = cache.computeIfAbsent(a, message -> keys(sorts, message));
            Comparable<?>[] kb = cache.computeIfAbsent(b, message -> keys(sorts, message));
            for (int i = 0; i < sorts.size(); i++) {
                @SuppressWarnings("unchecked")
                int order = ((Comparable<Object>) ka[i]).compareTo(kb[i]);
                if (order != 0) {
                    return sorts.get(i).isReverse() ? -order : order;
                }
            }
            return a.uid().compareTo(b.uid());
        };
    }

    private static Comparable<?>[] keys(List<SearchQuery.Sort> sorts, ScannedMessage message) {
        Comparable<?>[] keys = new Comparable<?>[sorts.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = key(sorts.get(i).getSortClause(), message);
        }
        return keys;
    }

    private static Comparable<?> key(SearchQuery.Sort.SortClause clause, ScannedMessage message) {
        return switch (clause) {
            case Arrival -> message.stored().getInternalDate();
            case SentDate -> sentDate(message);
            case MailboxFrom -> firstMailbox(message, "From");
            case MailboxTo -> firstMailbox(message, "To");
            case MailboxCc -> firstMailbox(message, "Cc");
            case BaseSubject -> baseSubject(message.headers().first("Subject"));
            case Size -> message.stored().getFullContentOctets();
            case Uid, Id -> message.uid();
        };
    }

    /** The RFC 5256 base subject, upper-cased: subjects compare with i;ascii-casemap. */
    static String baseSubject(String subject) {
        return subject == null ? "" : SearchUtil.getBaseSubject(subject).toUpperCase(Locale.ROOT);
    }

    static Date sentDate(ScannedMessage message) {
        String date = message.headers().first("Date");
        if (date != null) {
            try {
                return new DateTimeParser(new java.io.StringReader(date)).parseAll().getDate();
            } catch (org.apache.james.mime4j.field.datetime.parser.ParseException | RuntimeException e) {
                // RFC 5256: an unreadable Date falls back to the internal date
            }
        }
        return message.stored().getInternalDate();
    }

    private static String firstMailbox(ScannedMessage message, String field) {
        String value = message.headers().first(field);
        if (value == null) {
            return "";
        }
        AddressList addresses = LenientAddressParser.DEFAULT.parseAddressList(value);
        for (Address address : addresses) {
            Mailbox mailbox = address instanceof Group group && !group.getMailboxes().isEmpty()
                    ? group.getMailboxes().get(0)
                    : address instanceof Mailbox single ? single : null;
            if (mailbox != null) {
                return mailbox.getLocalPart().toUpperCase(Locale.ROOT);
            }
        }
        return "";
    }
}
