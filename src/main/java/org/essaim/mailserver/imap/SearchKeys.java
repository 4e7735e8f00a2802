package org.essaim.mailserver.imap;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.request.SearchKey;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.decode.DecodingException;
import org.apache.james.imap.decode.ImapRequestLineReader;
import org.apache.james.imap.decode.parser.SearchCommandParser;

/**
 * The {@code charset SP search-key...} tail shared by SORT and THREAD: the charset is positional there (SEARCH
 * writes {@code CHARSET x}); the keys are parsed by James' SEARCH parser, so both commands accept exactly what
 * SEARCH accepts. UTF-8 and US-ASCII are the charsets RFC 5256 requires.
 */
final class SearchKeys {
    private final SearchCommandParser searchParser;

    SearchKeys(StatusResponseFactory statusResponseFactory) {
        this.searchParser = new SearchCommandParser(statusResponseFactory);
    }

    SearchKey afterCharset(ImapRequestLineReader request, ImapSession session) throws DecodingException {
        request.nextWordChar();
        String charsetName = request.astring();
        Charset charset = charset(charsetName);
        if (charset == null) {
            throw new DecodingException(HumanReadableText.BAD_CHARSET, "Unsupported charset " + charsetName);
        }
        return searchParser.decode(session, request);
    }

    private static Charset charset(String name) {
        return switch (name.toUpperCase(Locale.ROOT)) {
            case "UTF-8", "UTF8" -> StandardCharsets.UTF_8;
            case "US-ASCII", "ASCII" -> StandardCharsets.US_ASCII;
            default -> null;
        };
    }
}
