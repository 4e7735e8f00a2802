package org.essaim.mailserver.connections;

import java.lang.reflect.Field;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.james.imapserver.netty.IMAPServerFactory;
import org.apache.james.pop3server.netty.POP3ServerFactory;
import org.apache.james.protocols.lib.netty.AbstractConfigurableAsyncServer;
import org.apache.james.protocols.lib.netty.AbstractServerFactory;
import org.apache.james.protocols.netty.AbstractAsyncServer;
import org.apache.james.smtpserver.netty.SMTPServerFactory;

import com.google.inject.Injector;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes every mail port (SMTP, submission, IMAP, IMAPS, POP3, POP3S) at once when the mail server stops.
 * <p>
 * James 3.8.1 stops its servers one after the other ({@code AbstractServerFactory.destroy}), and each one's
 * graceful {@code AbstractAsyncServer.unbind} waits for its Netty event loops to stay idle for Netty's default quiet
 * period of 2 s: 12 s of every stop (and restart) went into six waits of nothing. Unbinding them together keeps each
 * unbind exactly as graceful (open connections closed, work in flight finished before the stores close) and costs
 * one quiet period; James' own destroy afterwards finds them unbound and only releases the rest (MBeans, executors).
 * <p>
 * That one quiet period is shortened too ({@link #QUIET_PERIOD_MS}): each server's open connections are closed
 * first (as James' unbind does), then its event loops are asked to shut down gracefully with a short quiet period,
 * then James' unbind runs as before (Netty's second shutdown request returns the first one's termination, and James
 * waits for it). The quiet period is only how long a loop must see no new task before it ends; the tasks already
 * queued (the closing connections' last work) still run before it ends, as in a 2 s quiet period. Saves 2 s of
 * every stop and restart. James keeps these fields private ({@code AbstractAsyncServer}: {@code channels},
 * {@code bossGroup}, {@code workerGroup}): if a James version renames them, the stop falls back to James' 2 s and
 * says so in the log.
 */
public final class MailPortsClosing {
    /** How long a mail port's Netty event loop must stay idle before it ends (Netty's default: 2 s). */
    static final long QUIET_PERIOD_MS = 100;
    private static final Logger LOGGER = LoggerFactory.getLogger(MailPortsClosing.class);
    private static final long SHUTDOWN_TIMEOUT_MS = 15_000; // Netty's default, as James' unbind uses

    private MailPortsClosing() {
    }

    /** Unbinds every server of James' SMTP, IMAP and POP3 factories concurrently; returns when all are unbound. */
    public static void closeAllAtOnce(Injector james) {
        List<AbstractConfigurableAsyncServer> servers = Stream.of(SMTPServerFactory.class, IMAPServerFactory.class,
                        POP3ServerFactory.class)
                .map(type -> (AbstractServerFactory) james.getInstance(type))
                .flatMap(factory -> factory.getServers().stream())
                .filter(AbstractConfigurableAsyncServer::isEnabled)
                .toList();
        List<Thread> closing = servers.stream()
                .map(server -> new Thread(() -> {
                    closeConnectionsThenEventLoopsBriefly(server);
                    server.unbind();
                }, "closing-mail-port"))
                .toList();
        closing.forEach(Thread::start);
        boolean interrupted = false;
        for (Thread thread : closing) {
            while (thread.isAlive()) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true; // finish closing anyway: the stores must not close under a live port
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** James' unbind, in its order (connections closed, then the loops), with a short quiet period for the loops. */
    private static void closeConnectionsThenEventLoopsBriefly(AbstractConfigurableAsyncServer server) {
        try {
            ChannelGroup channels = (ChannelGroup) field("channels").get(server);
            EventLoopGroup workers = (EventLoopGroup) field("workerGroup").get(server);
            @SuppressWarnings("unchecked")
            Optional<EventLoopGroup> boss = (Optional<EventLoopGroup>) field("bossGroup").get(server);
            if (channels == null || workers == null || boss == null) {
                return; // not bound
            }
            channels.close().awaitUninterruptibly();
            boss.ifPresent(group -> group.shutdownGracefully(QUIET_PERIOD_MS, SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS));
            workers.shutdownGracefully(QUIET_PERIOD_MS, SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // another James version: its own unbind (Netty's 2 s quiet period) does it all, only slower; said once per
            // port so that whoever upgrades James sees why stops got 2 s longer
            LOGGER.warn("{} on port {}: stopping with James' own 2 s quiet period ({})", server.getClass().getSimpleName(),
                    server.getPort(), e.toString());
        }
    }

    private static Field field(String name) throws NoSuchFieldException {
        Field field = AbstractAsyncServer.class.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }
}
