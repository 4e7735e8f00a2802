package org.essaim.mailserver.connections;

import javax.inject.Provider;

import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.imap.api.ImapConstants;
import org.apache.james.imap.api.process.ImapProcessor;
import org.apache.james.imap.decode.ImapDecoder;
import org.apache.james.imap.encode.ImapEncoder;
import org.apache.james.imap.encode.base.ImapResponseComposerImpl;
import org.apache.james.imapserver.netty.ChannelImapResponseWriter;
import org.apache.james.imapserver.netty.IMAPServer;
import org.apache.james.imapserver.netty.IMAPServerFactory;
import org.apache.james.metrics.api.GaugeRegistry;
import org.apache.james.metrics.api.MetricFactory;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;

/**
 * James' IMAP servers with {@link QuietNetworkErrors} around each connection's handler. A command line longer than
 * the limit gets James' own answer ({@code * BAD … Maximum command line length exceeded}, RFC 2683 3.2.1), without
 * the WARN and stack trace James logs with it.
 */
public class EssaimImapServerFactory extends IMAPServerFactory {

    public EssaimImapServerFactory(FileSystem fileSystem, Provider<ImapDecoder> decoder, Provider<ImapEncoder> encoder,
                                   Provider<ImapProcessor> processor, MetricFactory metricFactory, GaugeRegistry gaugeRegistry) {
        super(fileSystem, decoder, encoder, processor, metricFactory, gaugeRegistry);
    }

    @Override
    protected IMAPServer createServer() {
        return new IMAPServer(decoder.get(), encoder.get(), processor.get(), imapMetrics, gaugeRegistry) {
            @Override
            protected ChannelInboundHandlerAdapter createCoreHandler() {
                return new QuietNetworkErrors("IMAP", super.createCoreHandler(), EssaimImapServerFactory::answerLongLine);
            }
        };
    }

    private static boolean answerLongLine(ChannelHandlerContext ctx, TooLongFrameException cause) {
        try {
            ImapResponseComposerImpl response = new ImapResponseComposerImpl(new ChannelImapResponseWriter(ctx.channel()));
            response.untaggedResponse(ImapConstants.BAD + " failed. Maximum command line length exceeded");
            response.flush();
        } catch (java.io.IOException e) {
            ctx.close();
        }
        return true;
    }
}
