package org.essaim.mailserver.imap;

import java.util.ArrayList;
import java.util.List;

import javax.inject.Provider;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.imap.api.process.ImapProcessor;
import org.apache.james.imap.decode.ImapDecoder;
import org.apache.james.imap.encode.ImapEncoder;
import org.apache.james.imap.processor.CapabilityProcessor;
import org.apache.james.imapserver.netty.IMAPServer;
import org.apache.james.imapserver.netty.IMAPServerFactory;
import org.apache.james.metrics.api.GaugeRegistry;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.protocols.lib.netty.AbstractConfigurableAsyncServer;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Scopes;
import com.google.inject.Singleton;

/**
 * Essaim's two bindings over James' IMAP server module (EssaimJamesServer overrides IMAPServerModule with it):
 * <ul>
 * <li>the one {@link CapabilityProcessor} is {@link CondstoreCapabilityProcessor}: James' ENABLE asks the bound
 *     CapabilityProcessor what is supported, so CAPABILITY and ENABLE must be the same object;</li>
 * <li>the server factory makes {@link EssaimImapServer} (the greeting).</li>
 * </ul>
 */
public final class EssaimImapModule extends AbstractModule {

    @Override
    protected void configure() {
        bind(CondstoreCapabilityProcessor.class).in(Scopes.SINGLETON);
        bind(CapabilityProcessor.class).to(CondstoreCapabilityProcessor.class);
    }

    @Provides
    @Singleton
    IMAPServerFactory serverFactory(FileSystem fileSystem, Provider<ImapDecoder> decoder, Provider<ImapEncoder> encoder,
                                    Provider<ImapProcessor> processor, MetricFactory metricFactory, GaugeRegistry gaugeRegistry) {
        return new IMAPServerFactory(fileSystem, decoder, encoder, processor, metricFactory, gaugeRegistry) {
            @Override
            protected IMAPServer createServer() {
                return new EssaimImapServer(decoder.get(), encoder.get(), processor.get(), imapMetrics, gaugeRegistry);
            }
        };
    }
}
