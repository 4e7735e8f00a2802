package org.essaim.mailserver.imap;

import java.io.IOException;

import org.apache.james.imap.encode.ImapResponseComposer;
import org.apache.james.imap.encode.ImapResponseEncoder;

/** Writes {@code * SORT id...}. */
public class SortResponseEncoder implements ImapResponseEncoder<SortResponse> {
    @Override
    public Class<SortResponse> acceptableMessages() {
        return SortResponse.class;
    }

    @Override
    public void encode(SortResponse response, ImapResponseComposer composer) throws IOException {
        composer.untagged().message("SORT");
        for (long id : response.ids()) {
            composer.message(id);
        }
        composer.end();
    }
}
