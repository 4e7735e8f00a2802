package org.essaim.mailserver.imap;

import java.util.List;

import org.apache.james.imap.decode.ImapDecoder;
import org.apache.james.imapserver.netty.ImapRequestFrameDecoder;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * James' IMAP request decoder, with pipelined literals fixed: two APPENDs with LITERAL+ sent back to back (mbsync
 * does this) made James 3.8.1 read the first message's lines as commands ("From: BAD failed. Unknown command.")
 * and never answer the first APPEND.
 * <p>Why: when a command needs a literal that has not fully arrived, James removes the line framer from the
 * pipeline <em>while it is still decoding</em> ({@code requestMoreData}: {@code disableFraming} before resetting
 * the reader index). Removing the framer hands its remaining bytes back into this decoder at once, re-entrantly,
 * and they are decoded from the wrong position. Here the framer is removed just after the current decode instead
 * (same event loop, next task); until then the framer keeps passing the bytes on as line frames, which this
 * decoder accumulates like any other bytes. James' master rewrote this code (JAMES-4043, 2024).
 */
public class PipelinedLiteralsFrameDecoder extends ImapRequestFrameDecoder {
    private boolean decoding;
    private boolean disableWanted;

    public PipelinedLiteralsFrameDecoder(ImapDecoder decoder, int inMemorySizeLimit, int literalSizeLimit, int maxFrameLength) {
        super(decoder, inMemorySizeLimit, literalSizeLimit, maxFrameLength);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        decoding = true;
        try {
            super.decode(ctx, in, out);
        } finally {
            decoding = false;
        }
        if (disableWanted) {
            ctx.executor().execute(() -> {
                if (disableWanted) {
                    disableWanted = false;
                    removeFramer(ctx);
                }
            });
        }
    }

    @Override
    public void disableFraming(ChannelHandlerContext ctx) {
        if (decoding) {
            disableWanted = true; // after this decode, see the class comment
        } else {
            removeFramer(ctx);
        }
    }

    @Override
    public void enableFraming(ChannelHandlerContext ctx) {
        disableWanted = false;
        super.enableFraming(ctx);
    }

    private void removeFramer(ChannelHandlerContext ctx) {
        super.disableFraming(ctx);
    }
}
