package org.essaim.mailserver.guice;

import java.nio.file.Path;

import javax.inject.Inject;

import org.apache.james.GuiceJamesServer;
import org.apache.james.NaiveDelegationStoreModule;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapProcessor;
import org.apache.james.imap.processor.DefaultProcessor;
import org.apache.james.modules.MailboxModule;
import org.apache.james.modules.MailetProcessingModule;
import org.apache.james.modules.data.SieveFileRepositoryModule;
import org.apache.james.modules.mailbox.DefaultEventModule;
import org.apache.james.modules.mailbox.MemoryDeadLetterModule;
import org.apache.james.modules.protocols.IMAPServerModule;
import org.apache.james.modules.protocols.POP3ServerModule;
import org.apache.james.modules.protocols.ProtocolHandlerModule;
import org.apache.james.modules.protocols.SMTPServerModule;
import org.apache.james.modules.server.DefaultProcessorsConfigurationProviderModule;
import org.apache.james.modules.server.RawPostDequeueDecoratorModule;
import org.apache.james.modules.server.TaskManagerModule;
import org.apache.james.server.core.configuration.Configuration;
import org.apache.james.server.task.json.dto.AdditionalInformationDTO;
import org.apache.james.server.task.json.dto.AdditionalInformationDTOModule;
import org.apache.james.server.task.json.dto.TaskDTO;
import org.apache.james.server.task.json.dto.TaskDTOModule;
import org.apache.james.task.Task;
import org.apache.james.task.TaskExecutionDetails;
import org.apache.james.pop3server.netty.POP3ServerFactory;
import org.apache.james.smtpserver.netty.SMTPServerFactory;
import org.apache.james.utils.GuiceProbe;
import org.essaim.mailserver.connections.EssaimPop3ServerFactory;
import org.essaim.mailserver.connections.EssaimSmtpServerFactory;
import org.essaim.mailserver.logins.LoginAttempts;
import org.essaim.mailserver.imap.EssaimImapModule;
import org.essaim.mailserver.logins.ThrottledImapLogins;

import com.google.inject.AbstractModule;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.Provides;
import com.google.inject.Scopes;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.util.Modules;

/**
 * Essaim's James: SMTP, submission, IMAP and POP3 over JPA storage (H2), the ActiveMQ queue, file Sieve.
 * Assembled from named module bundles, as James' own server mains are, so a later deployment can swap
 * one bundle (storage, queue) without touching the others.
 */
public final class EssaimJamesServer {

    private EssaimJamesServer() {
    }

    /**
     * The H2 database of James' JPA stores, inside James' working directory. OpenJPA prepares the same few
     * dozen statements over and over on pooled connections: a larger per-connection query cache than H2's 8
     * saves re-parsing them (H2's parser showed in the delivery profile). The page cache is 16 MB instead of H2's
     * 64 MB: with the documented 384 MB heap, memory is better spent on the messages in flight.
     */
    public static String jdbcUrl(Path workingDirectory) {
        return "jdbc:h2:file:" + workingDirectory.resolve("db/james").toAbsolutePath()
                + ";NON_KEYWORDS=VALUE,KEY;QUERY_CACHE_SIZE=64;CACHE_SIZE=16384";
    }

    /**
     * @param applicationServices what the Spring side lends to James' hooks (disabled accounts, later
     *                            recipients' public keys), as instances bound in James' injector
     */
    public static GuiceJamesServer create(Path workingDirectory, Module applicationServices) {
        Configuration configuration = Configuration.builder()
                .workingDirectory(workingDirectory.toFile())
                .configurationPath(new Configuration.ConfigurationPath(FileSystem.FILE_PROTOCOL_AND_CONF))
                .build();
        return GuiceJamesServer.forConfiguration(configuration)
                .combineWith(new FirstAccountBeforePorts.Module(), storage(workingDirectory), queueAndProcessing(), protocols(),
                        injectorAccess(), applicationServices);
    }

    private static Module storage(Path workingDirectory) {
        return Modules.combine(
                new JpaEntityManagerModule(jdbcUrl(workingDirectory)),
                new JpaDataModule(),
                new JpaMailboxModule(),
                new MailboxModule(),
                new SieveFileRepositoryModule(),
                new NaiveDelegationStoreModule(),
                events(),
                new MemoryDeadLetterModule());
    }

    /** James' in-memory event bus, with listeners by key kept thread-safe (ConcurrentKeyListenersEventBus). */
    static Module events() {
        return Modules.override(new DefaultEventModule()).with(new ConcurrentKeyListenersEventBus.Module());
    }

    private static Module queueAndProcessing() {
        return Modules.combine(
                new ActiveMqQueueModule(),
                new MailetProcessingModule(),
                new DefaultProcessorsConfigurationProviderModule(),
                new RawPostDequeueDecoratorModule(),
                new TaskManagerModule());
    }

    private static Module protocols() {
        return Modules.combine(
                new ProtocolHandlerModule(),
                // James' servers with quiet network errors and, for IMAP, checked commands (mailserver/connections)
                Modules.override(new SMTPServerModule()).with(binder ->
                        binder.bind(SMTPServerFactory.class).to(EssaimSmtpServerFactory.class).in(Scopes.SINGLETON)),
                Modules.override(new IMAPServerModule()).with(new ThrottledImapLoginsModule(), new EssaimImapModule()),
                Modules.override(new POP3ServerModule()).with(binder ->
                        binder.bind(POP3ServerFactory.class).to(EssaimPop3ServerFactory.class).in(Scopes.SINGLETON)));
    }

    /** James' IMAP processor chain behind the login throttle (mailserver/logins/ThrottledImapLogins). */
    private static final class ThrottledImapLoginsModule extends AbstractModule {
        @Provides
        ImapProcessor imapProcessor(DefaultProcessor james, LoginAttempts attempts, StatusResponseFactory responses) {
            return new ThrottledImapLogins(james, attempts, responses);
        }
    }

    private static Module injectorAccess() {
        return new AbstractModule() {
            @Override
            protected void configure() {
                Multibinder.newSetBinder(binder(), GuiceProbe.class).addBinding().to(InjectorProbe.class);
                // James' task serialization expects these sets; Essaim registers no task extension.
                Multibinder.newSetBinder(binder(), new TypeLiteral<TaskDTOModule<? extends Task, ? extends TaskDTO>>() { });
                Multibinder.newSetBinder(binder(),
                        new TypeLiteral<AdditionalInformationDTOModule<? extends TaskExecutionDetails.AdditionalInformation,
                                ? extends AdditionalInformationDTO>>() { });
            }
        };
    }

    /** Hands James' injector to the bridge; the only way out of the Guice world. */
    public static class InjectorProbe implements GuiceProbe {
        private final Injector injector;

        @Inject
        InjectorProbe(Injector injector) {
            this.injector = injector;
        }

        public Injector injector() {
            return injector;
        }
    }
}
