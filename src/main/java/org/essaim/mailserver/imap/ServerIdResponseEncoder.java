package org.essaim.mailserver.imap;

import java.io.IOException;

import org.apache.james.imap.encode.ImapResponseComposer;
import org.apache.james.imap.encode.ImapResponseEncoder;

/** {@code * ID ("name" "Essaim")}. */
public class ServerIdResponseEncoder implements ImapResponseEncoder<ServerIdResponse> {
    @Override
    public Class<ServerIdResponse> acceptableMessages() {
        return ServerIdResponse.class;
    }

    @Override
    public void encode(ServerIdResponse id, ImapResponseComposer composer) throws IOException {
        composer.untagged().message("ID").openParen().quote("name").quote(id.name()).closeParen().end();
    }
}
