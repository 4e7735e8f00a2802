package org.essaim.mailserver.search;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Collection;
import java.util.List;

import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.SearchQuery;
import org.apache.james.mailbox.store.mail.MessageMapper.FetchType;
import org.apache.james.mailbox.store.search.MessageSearches;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.utils.search.MessageMatcher;

/**
 * Decides whether one stored message matches SEARCH criteria. Header and text criteria are Essaim's (decoded,
 * unfolded outer headers; no search inside ciphertext); the metadata criteria (flags, UIDs, sizes, dates,
 * mod-sequences) are James' own {@link MessageSearches#isMatch}, which reads only the message's metadata for them.
 */
final class SearchCriteria {
    private final Collection<MessageUid> recent;
    private final MessageSearches metadataMatcher;

    SearchCriteria(Collection<MessageUid> recent) {
        this.recent = recent;
        this.metadataMatcher = new MessageSearches(List.<org.apache.james.mailbox.store.mail.model.MailboxMessage>of().iterator(),
                SearchQuery.matchAll(), null, null, null);
    }

    /** How much of each message the criteria and sorts need: the mapper may then read less. */
    FetchType fetchTypeFor(SearchQuery query) {
        FetchType needed = query.getSorts().stream().anyMatch(SortKeys::needsHeaders) ? FetchType.HEADERS : FetchType.METADATA;
        for (SearchQuery.Criterion criterion : query.getCriteria()) {
            needed = max(needed, fetchTypeFor(criterion));
        }
        return needed;
    }

    private FetchType fetchTypeFor(SearchQuery.Criterion criterion) {
        if (criterion instanceof SearchQuery.ConjunctionCriterion conjunction) {
            FetchType needed = FetchType.METADATA;
            for (SearchQuery.Criterion each : conjunction.getCriteria()) {
                needed = max(needed, fetchTypeFor(each));
            }
            return needed;
        }
        if (criterion instanceof SearchQuery.TextCriterion) {
            return FetchType.FULL;
        }
        if (criterion instanceof SearchQuery.HeaderCriterion || criterion instanceof SearchQuery.SubjectCriterion
                || criterion instanceof SearchQuery.MimeMessageIDCriterion) {
            return FetchType.HEADERS;
        }
        return FetchType.METADATA;
    }

    private static FetchType max(FetchType a, FetchType b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    boolean matchAll(List<SearchQuery.Criterion> criteria, ScannedMessage message) throws MailboxException {
        for (SearchQuery.Criterion criterion : criteria) {
            if (!matches(criterion, message)) {
                return false;
            }
        }
        return true;
    }

    private boolean matches(SearchQuery.Criterion criterion, ScannedMessage message) throws MailboxException {
        if (criterion instanceof SearchQuery.ConjunctionCriterion conjunction) {
            return switch (conjunction.getType()) {
                case AND -> matchAll(conjunction.getCriteria(), message);
                case OR -> anyMatches(conjunction.getCriteria(), message);
                case NOR -> !anyMatches(conjunction.getCriteria(), message);
            };
        }
        if (criterion instanceof SearchQuery.SubjectCriterion subject) {
            return matches(subject.asHeaderCriterion(), message);
        }
        if (criterion instanceof SearchQuery.MimeMessageIDCriterion messageId) {
            return matches(messageId.asHeaderCriterion(), message);
        }
        if (criterion instanceof SearchQuery.HeaderCriterion header) {
            return matchesHeader(header, message);
        }
        if (criterion instanceof SearchQuery.TextCriterion text) {
            return matchesText(text, message);
        }
        if (criterion instanceof SearchQuery.AttachmentCriterion) {
            return false; // attachments are inside the ciphertext
        }
        return metadataMatcher.isMatch(criterion, message.stored(), recent);
    }

    private boolean anyMatches(List<SearchQuery.Criterion> criteria, ScannedMessage message) throws MailboxException {
        for (SearchQuery.Criterion criterion : criteria) {
            if (matches(criterion, message)) {
                return true;
            }
        }
        return false;
    }

    private boolean matchesHeader(SearchQuery.HeaderCriterion criterion, ScannedMessage message) throws MailboxException {
        String name = criterion.getHeaderName();
        SearchQuery.HeaderOperator operator = criterion.getOperator();
        if (operator instanceof SearchQuery.ContainsOperator contains) {
            return message.headers().contains(name, contains.getValue());
        }
        if (operator instanceof SearchQuery.AddressOperator address) {
            // RFC 3501: a substring of the field, so the address, its domain and the display name all match.
            return message.headers().contains(name, address.getAddress());
        }
        if (operator instanceof SearchQuery.ExistsOperator) {
            return message.headers().has(name);
        }
        return metadataMatcher.isMatch(criterion, message.stored(), recent); // sent-date comparisons
    }

    private boolean matchesText(SearchQuery.TextCriterion criterion, ScannedMessage message) {
        String text = criterion.getOperator().getValue();
        return switch (criterion.getType()) {
            case FULL -> message.headers().anyContains(text) || clearBodyContains(message, text);
            case BODY -> clearBodyContains(message, text);
            default -> false; // attachment contents and names are inside the ciphertext
        };
    }

    private static boolean clearBodyContains(ScannedMessage message, String text) {
        if (message.encrypted()) {
            return false;
        }
        try {
            return MessageMatcher.builder()
                    .searchContents(List.of(text))
                    .caseInsensitive(true)
                    .includeHeaders(false)
                    .build()
                    .messageMatches(new ByteArrayInputStream(message.fullContent()));
        } catch (IOException | MimeException e) {
            return false; // an unparsable body contains nothing searchable
        }
    }
}
