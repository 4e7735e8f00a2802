package org.essaim.mailserver.imap;

import java.lang.reflect.Field;
import java.util.Optional;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.imap.api.process.ImapProcessor;
import org.apache.james.imap.decode.ImapDecoder;
import org.apache.james.imap.encode.ImapEncoder;
import org.apache.james.imapserver.netty.IMAPServer;
import org.apache.james.imapserver.netty.ImapMetrics;
import org.apache.james.imapserver.netty.NettyConstants;
import org.apache.james.metrics.api.GaugeRegistry;
import org.apache.james.protocols.netty.AbstractChannelPipelineFactory;
import org.apache.james.util.Size;
import org.essaim.mailserver.connections.ImapConnections;

import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.SocketChannel;

/**
 * James' IMAP server with Essaim's greeting and its request decoder fixed for pipelined literals
 * ({@link PipelinedLiteralsFrameDecoder}), behind the command guard and quiet network errors of
 * {@link ImapConnections}. The greeting is {@code * OK mail.example.org Essaim IMAP4rev1 server ready}: James
 * 3.8.1 builds the greeting ("JAMES IMAP4rev1 Server &lt;hello name&gt; is ready.") into a private field while
 * configuring and offers no setting for it, so the field is replaced right after configuration (the only
 * reflection in Essaim's mail server; a test reads the greeting, so a James upgrade that renames it is caught).
 */
class EssaimImapServer extends IMAPServer {

    EssaimImapServer(ImapDecoder decoder, ImapEncoder encoder, ImapProcessor processor, ImapMetrics imapMetrics,
                     GaugeRegistry gaugeRegistry) {
        super(decoder, encoder, processor, imapMetrics, gaugeRegistry);
        this.decoder = decoder;
    }

    /** James' channel set-up, with {@link PipelinedLiteralsFrameDecoder} in place of its request decoder. */
    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    protected AbstractChannelPipelineFactory createPipelineFactory() {
        AbstractChannelPipelineFactory james = super.createPipelineFactory();
        return new AbstractChannelPipelineFactory(getFrameHandlerFactory(), getExecutorGroup()) {
            @Override
            protected ChannelInboundHandlerAdapter createHandler() {
                return createCoreHandler();
            }

            @Override
            protected void initChannel(SocketChannel channel) {
                channel.pipeline().addLast(james); // runs James' set-up now: the channel is registered
                channel.pipeline().replace(NettyConstants.REQUEST_DECODER, NettyConstants.REQUEST_DECODER,
                        ImapConnections.requestDecoder(decoder, inMemorySizeLimit, literalSizeLimit, maxLineLength));
            }
        };
    }

    /** James' connection handler behind quiet network errors (mailserver/connections). */
    @Override
    protected ChannelInboundHandlerAdapter createCoreHandler() {
        return ImapConnections.quiet(super.createCoreHandler());
    }

    private final ImapDecoder decoder;
    private int inMemorySizeLimit;
    private int literalSizeLimit;
    private int maxLineLength;

    @Override
    public void doConfigure(HierarchicalConfiguration<ImmutableNode> configuration) throws ConfigurationException {
        super.doConfigure(configuration);
        // the same settings James' decoder gets (IMAPServer keeps them private)
        maxLineLength = configuration.getInt("maxLineLength", DEFAULT_MAX_LINE_LENGTH);
        inMemorySizeLimit = Math.toIntExact(Optional.ofNullable(configuration.getString("inMemorySizeLimit", null))
                .map(Size::parse).orElse(DEFAULT_IN_MEMORY_SIZE_LIMIT).asBytes());
        literalSizeLimit = Optional.ofNullable(configuration.getString("literalSizeLimit", null))
                .map(Size::parse).map(Size::asBytes).map(Math::toIntExact).orElse(DEFAULT_LITERAL_SIZE_LIMIT);
        try {
            Field hello = IMAPServer.class.getDeclaredField("hello");
            hello.setAccessible(true);
            hello.set(this, getHelloName() + " Essaim IMAP4rev1 server ready");
        } catch (ReflectiveOperationException e) {
            throw new ConfigurationException("Cannot set Essaim's IMAP greeting on this James version", e);
        }
    }
}
