package org.essaim.mailserver.connections;

import java.io.IOException;

import org.apache.james.imap.api.ImapConstants;
import org.apache.james.imap.decode.ImapDecoder;
import org.apache.james.imap.encode.base.ImapResponseComposerImpl;
import org.apache.james.imapserver.netty.ChannelImapResponseWriter;
import org.apache.james.imapserver.netty.ImapRequestFrameDecoder;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;

/**
 * What Essaim's IMAP server (mailserver/imap/EssaimImapServer) puts in James' pipeline from this package: the
 * connection handler behind {@link QuietNetworkErrors}, and the request decoder behind {@link ImapCommandGuard}.
 */
public final class ImapConnections {

    private ImapConnections() {
    }

    /**
     * James' connection handler, quiet about resets and TLS garbage. A command line longer than the limit gets James'
     * own answer ({@code * BAD … Maximum command line length exceeded}, RFC 2683 3.2.1) without the WARN and stack
     * trace James logs with it.
     */
    public static ChannelInboundHandlerAdapter quiet(ChannelInboundHandlerAdapter james) {
        return new QuietNetworkErrors("IMAP", james, ImapConnections::answerLongLine);
    }

    /** The request decoder (James' with the pipelined-literals fix) with the command guard in front. */
    public static ImapRequestFrameDecoder requestDecoder(ImapDecoder decoder, int inMemorySizeLimit, int literalSizeLimit,
                                                         int maxLineLength) {
        return new GuardedImapRequestFrameDecoder(decoder, inMemorySizeLimit, literalSizeLimit, maxLineLength);
    }

    private static boolean answerLongLine(ChannelHandlerContext ctx, TooLongFrameException cause) {
        try {
            ImapResponseComposerImpl response = new ImapResponseComposerImpl(new ChannelImapResponseWriter(ctx.channel()));
            response.untaggedResponse(ImapConstants.BAD + " failed. Maximum command line length exceeded");
            response.flush();
        } catch (IOException e) {
            ctx.close();
        }
        return true;
    }
}
