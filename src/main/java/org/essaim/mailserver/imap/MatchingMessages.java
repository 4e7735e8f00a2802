package org.essaim.mailserver.imap;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.james.imap.api.message.request.SearchKey;
import org.apache.james.imap.api.message.response.ImapResponseMessage;
import org.apache.james.imap.api.message.response.StatusResponse;
import org.apache.james.imap.api.process.ImapProcessor.Responder;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.message.request.AbstractImapRequest;
import org.apache.james.imap.message.request.SearchRequest;
import org.apache.james.imap.message.response.SearchResponse;
import org.apache.james.imap.api.message.request.SearchOperation;
import org.apache.james.imap.processor.SearchProcessor;
import org.apache.james.mailbox.MessageUid;

import reactor.core.publisher.Mono;

/**
 * Finds the messages a SORT or THREAD applies to by running James' own SEARCH (as UID SEARCH) on the same keys,
 * so the three commands select exactly the same messages. SEARCH's untagged extras (EXPUNGE, EXISTS, FLAGS) pass
 * through to the client; its result and its tagged OK are kept; a tagged NO/BAD is passed on and ends the command.
 */
final class MatchingMessages {
    private final SearchProcessor search;

    MatchingMessages(SearchProcessor search) {
        this.search = search;
    }

    /** The matching UIDs, or empty when SEARCH refused (its refusal was already answered). */
    Mono<Optional<List<MessageUid>>> find(AbstractImapRequest request, SearchKey key, ImapSession session, Responder responder) {
        SearchRequest asSearch = new SearchRequest(new SearchOperation(key, List.of()), true, request.getTag());
        Capture capture = new Capture(responder, request);
        return search.processReactive(asSearch, capture, session)
                .then(Mono.fromCallable(() -> capture.result()));
    }

    private static final class Capture implements Responder {
        private final Responder client;
        private final AbstractImapRequest request;
        private final List<MessageUid> uids = new ArrayList<>();
        private boolean refused;

        Capture(Responder client, AbstractImapRequest request) {
            this.client = client;
            this.request = request;
        }

        @Override
        public void respond(ImapResponseMessage message) {
            if (message instanceof SearchResponse found) {
                if (found.getIds() != null) {
                    found.getIds().forEach(uid -> uids.add(MessageUid.of(uid)));
                }
            } else if (message instanceof StatusResponse status && request.getTag().equals(status.getTag())) {
                if (status.getServerResponseType() != StatusResponse.Type.OK) {
                    refused = true;
                    client.respond(message);
                }
            } else {
                client.respond(message);
            }
        }

        @Override
        public void flush() {
            client.flush();
        }

        Optional<List<MessageUid>> result() {
            return refused ? Optional.empty() : Optional.of(uids);
        }
    }
}
