package org.essaim.mailserver.connections;

import java.util.Optional;

import javax.inject.Provider;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;

import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.imap.api.ImapConstants;
import org.apache.james.imap.api.process.ImapProcessor;
import org.apache.james.imap.decode.ImapDecoder;
import org.apache.james.imap.encode.ImapEncoder;
import org.apache.james.imap.encode.base.ImapResponseComposerImpl;
import org.apache.james.imapserver.netty.ChannelImapResponseWriter;
import org.apache.james.imapserver.netty.IMAPServer;
import org.apache.james.imapserver.netty.IMAPServerFactory;
import org.apache.james.imapserver.netty.NettyConstants;
import org.apache.james.metrics.api.GaugeRegistry;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.util.Size;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;

/**
 * James' IMAP servers with {@link QuietNetworkErrors} around each connection's handler and {@link ImapCommandGuard} in
 * front of James' request decoder. A command line longer than the limit gets James' own answer
 * ({@code * BAD … Maximum command line length exceeded}, RFC 2683 3.2.1), without the WARN and stack trace James logs.
 */
public class EssaimImapServerFactory extends IMAPServerFactory {

    public EssaimImapServerFactory(FileSystem fileSystem, Provider<ImapDecoder> decoder, Provider<ImapEncoder> encoder,
                                   Provider<ImapProcessor> processor, MetricFactory metricFactory, GaugeRegistry gaugeRegistry) {
        super(fileSystem, decoder, encoder, processor, metricFactory, gaugeRegistry);
    }

    @Override
    protected IMAPServer createServer() {
        ImapDecoder requestDecoder = decoder.get();
        return new IMAPServer(requestDecoder, encoder.get(), processor.get(), imapMetrics, gaugeRegistry) {
            private int maxLineLength;
            private int inMemorySizeLimit;
            private int literalSizeLimit;

            /** The same settings IMAPServer reads for its own request decoder (it keeps them private). */
            @Override
            public void doConfigure(HierarchicalConfiguration<ImmutableNode> configuration) throws ConfigurationException {
                super.doConfigure(configuration);
                maxLineLength = configuration.getInt("maxLineLength", DEFAULT_MAX_LINE_LENGTH);
                inMemorySizeLimit = bytes(configuration, "inMemorySizeLimit", DEFAULT_IN_MEMORY_SIZE_LIMIT.asBytes());
                literalSizeLimit = bytes(configuration, "literalSizeLimit", DEFAULT_LITERAL_SIZE_LIMIT);
            }

            @Override
            protected ChannelInboundHandlerAdapter createCoreHandler() {
                return new QuietNetworkErrors("IMAP", super.createCoreHandler(), EssaimImapServerFactory::answerLongLine) {
                    /** James' request decoder, already in the pipeline, gets the command guard in front. */
                    @Override
                    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
                        ctx.pipeline().replace(NettyConstants.REQUEST_DECODER, NettyConstants.REQUEST_DECODER,
                                new GuardedImapRequestFrameDecoder(requestDecoder, inMemorySizeLimit, literalSizeLimit,
                                        maxLineLength));
                        super.handlerAdded(ctx);
                    }
                };
            }
        };
    }

    private static int bytes(HierarchicalConfiguration<ImmutableNode> configuration, String key, long fallback) {
        return Math.toIntExact(Optional.ofNullable(configuration.getString(key, null))
                .map(value -> Size.parse(value).asBytes())
                .orElse(fallback));
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
