package org.essaim.mailserver.connections;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.apache.james.imap.api.ImapSessionState;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.decode.ImapDecoder;
import org.apache.james.imapserver.netty.NettyConstants;
import org.essaim.mailserver.imap.PipelinedLiteralsFrameDecoder;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * James' IMAP request decoder (with the imap package's pipelined-literals fix) with {@link ImapCommandGuard} in front: each command is looked at before James parses
 * it (and before James sends {@code + Ok} for a literal), and one the guard refuses is answered and dropped.
 */
class GuardedImapRequestFrameDecoder extends PipelinedLiteralsFrameDecoder {

    /** ImapRequestFrameDecoder's (package-private) key for the size of the literal data it waits for. */
    private static final String JAMES_NEEDED_DATA = "NEEDED_DATA";

    private final long maxLiteralSize;
    private int lineHandlers;

    GuardedImapRequestFrameDecoder(ImapDecoder decoder, int inMemorySizeLimit, int literalSizeLimit, int maxFrameLength) {
        super(decoder, inMemorySizeLimit, literalSizeLimit, maxFrameLength);
        this.maxLiteralSize = literalSizeLimit;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (lineHandlers == 0 && !stillWaitingForLiteralData(ctx, in)) { // a command from its first byte, now complete
            ImapSession session = ctx.channel().attr(NettyConstants.IMAP_SESSION_ATTRIBUTE_KEY).get();
            boolean authenticated = session != null && session.getState() != ImapSessionState.NON_AUTHENTICATED;
            byte[] command = ByteBufUtil.getBytes(in, in.readerIndex(), in.readableBytes(), false);
            ImapCommandGuard.Verdict verdict = ImapCommandGuard.check(command, authenticated, maxLiteralSize);
            if (verdict.refusal().isPresent()) {
                refuse(ctx, in, verdict.refusal().get());
                return;
            }
            if (verdict.awaitsSynchronizingLiteral() && decodesAgain(ctx)) {
                // James asks for a literal's data ("+") only on a command's first pass: the second literal of a
                // LOGIN {n} {m} would wait forever (its reader is built with retry=true, which mutes the "+").
                ctx.writeAndFlush(Unpooled.copiedBuffer("+ Ok\r\n", StandardCharsets.US_ASCII));
            }
        }
        super.decode(ctx, in, out);
    }

    /** James already saw this command's start and waited for literal data: it decodes it again from the start. */
    private static boolean decodesAgain(ChannelHandlerContext ctx) {
        Map<String, Object> pending = ctx.channel().attr(NettyConstants.FRAME_DECODE_ATTACHMENT_ATTRIBUTE_KEY).get();
        return pending != null && pending.containsKey(JAMES_NEEDED_DATA);
    }

    /**
     * James keeps a command's bytes until a literal's data has all arrived (it decodes the command again from its start
     * each time): looking at it before then would copy the same growing buffer again for every packet.
     */
    private static boolean stillWaitingForLiteralData(ChannelHandlerContext ctx, ByteBuf in) {
        Map<String, Object> pending = ctx.channel().attr(NettyConstants.FRAME_DECODE_ATTACHMENT_ATTRIBUTE_KEY).get();
        return pending != null && pending.get(JAMES_NEEDED_DATA) instanceof Integer needed && in.readableBytes() < needed;
    }

    private void refuse(ChannelHandlerContext ctx, ByteBuf in, ImapCommandGuard.Refusal refusal) {
        in.skipBytes(in.readableBytes());
        Map<String, Object> pending = ctx.channel().attr(NettyConstants.FRAME_DECODE_ATTACHMENT_ATTRIBUTE_KEY).get();
        if (pending != null) {
            pending.clear(); // forget a literal James was waiting for
        }
        enableFraming(ctx);
        var written = ctx.writeAndFlush(Unpooled.copiedBuffer(refusal.response() + "\r\n", StandardCharsets.US_ASCII));
        if (refusal.close()) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void pushLineHandler(ChannelInboundHandlerAdapter lineHandlerUpstreamHandler) {
        lineHandlers++;
        super.pushLineHandler(lineHandlerUpstreamHandler);
    }

    @Override
    public void popLineHandler() {
        lineHandlers = Math.max(0, lineHandlers - 1);
        super.popLineHandler();
    }
}
