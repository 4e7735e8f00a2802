package org.essaim.mailserver.imap;

import java.io.IOException;

import org.apache.james.imap.encode.ImapResponseComposer;
import org.apache.james.imap.encode.ImapResponseEncoder;

/** Writes {@code tag OK [MODIFIED set] Conditional STORE failed}. */
public class ConditionalStoreFailedEncoder implements ImapResponseEncoder<ConditionalStoreFailed> {
    @Override
    public Class<ConditionalStoreFailed> acceptableMessages() {
        return ConditionalStoreFailed.class;
    }

    @Override
    public void encode(ConditionalStoreFailed response, ImapResponseComposer composer) throws IOException {
        composer.tag(response.tag()).message("OK").openSquareBracket().message("MODIFIED").message(response.failedSet())
                .closeSquareBracket().message("Conditional STORE failed").end();
    }
}
