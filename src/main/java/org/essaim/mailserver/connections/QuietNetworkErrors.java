package org.essaim.mailserver.connections;

import java.io.IOException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;

import javax.net.ssl.SSLException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.apache.james.protocols.netty.LineHandlerAware;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.ssl.NotSslRecordException;

/**
 * Sits in the place of James' per-connection handler (SMTP, POP3, IMAP) and passes every event to it, except errors
 * that only say the client went away or spoke garbage: a reset connection, a TLS handshake that was not one. James
 * logs each of those with a full stack trace at ERROR/WARN (about 1.8 KB a connection: a scanner resetting 20 000
 * connections made 35 MB of log); here the connection is simply closed, with one DEBUG line.
 * <p>
 * A line longer than the protocol allows is handed to a {@link LongLines} policy first (SMTP inside DATA: one
 * reply at the end of the message, not one reply now and another then).
 */
public class QuietNetworkErrors extends ChannelInboundHandlerAdapter implements LineHandlerAware {
    private static final Logger LOGGER = LoggerFactory.getLogger(QuietNetworkErrors.class);

    /** What to do with a line longer than the framer allows; true when handled (James then never sees it). */
    @FunctionalInterface
    public interface LongLines {
        boolean handled(ChannelHandlerContext ctx, TooLongFrameException cause);

        LongLines JAMES_ANSWERS = (ctx, cause) -> false;
    }

    private final String protocol;
    private final ChannelInboundHandler james;
    private final LongLines longLines;

    public QuietNetworkErrors(String protocol, ChannelInboundHandler james, LongLines longLines) {
        this.protocol = protocol;
        this.james = james;
        this.longLines = longLines;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
        if (isNetworkOrTlsNoise(cause)) {
            LOGGER.debug("{} connection closed: {}", protocol, cause.toString());
            ctx.close();
            return;
        }
        if (cause instanceof TooLongFrameException tooLong && longLines.handled(ctx, tooLong)) {
            return;
        }
        james.exceptionCaught(ctx, cause);
    }

    /**
     * A reset or broken connection, or bytes that were not TLS. Only these: James' own protocol errors extend
     * IOException too (IMAP's DecodingException) and stay James' to answer.
     */
    static boolean isNetworkOrTlsNoise(Throwable cause) {
        for (Throwable c = cause; c != null; c = c.getCause()) {
            if (c instanceof SocketException || c instanceof ClosedChannelException || c instanceof SSLException
                    || c instanceof NotSslRecordException || c.getClass() == IOException.class) {
                return true; // plain IOException: how NIO reports "Connection reset by peer" and "Broken pipe"
            }
        }
        return false;
    }

    @Override
    public void pushLineHandler(ChannelInboundHandlerAdapter lineHandlerUpstreamHandler) {
        ((LineHandlerAware) james).pushLineHandler(lineHandlerUpstreamHandler);
    }

    @Override
    public void popLineHandler() {
        ((LineHandlerAware) james).popLineHandler();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        james.handlerAdded(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) throws Exception {
        james.handlerRemoved(ctx);
    }

    @Override
    public void channelRegistered(ChannelHandlerContext ctx) throws Exception {
        james.channelRegistered(ctx);
    }

    @Override
    public void channelUnregistered(ChannelHandlerContext ctx) throws Exception {
        james.channelUnregistered(ctx);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        james.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        james.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        james.channelRead(ctx, msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        james.channelReadComplete(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        james.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        james.channelWritabilityChanged(ctx);
    }
}
