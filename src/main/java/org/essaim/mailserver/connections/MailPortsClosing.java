package org.essaim.mailserver.connections;

import java.util.List;
import java.util.stream.Stream;

import org.apache.james.imapserver.netty.IMAPServerFactory;
import org.apache.james.pop3server.netty.POP3ServerFactory;
import org.apache.james.protocols.lib.netty.AbstractConfigurableAsyncServer;
import org.apache.james.protocols.lib.netty.AbstractServerFactory;
import org.apache.james.smtpserver.netty.SMTPServerFactory;

import com.google.inject.Injector;

/**
 * Closes every mail port (SMTP, submission, IMAP, IMAPS, POP3, POP3S) at once when the mail server stops.
 * <p>
 * James 3.8.1 stops its servers one after the other ({@code AbstractServerFactory.destroy}), and each one's
 * graceful {@code AbstractAsyncServer.unbind} waits for its Netty event loops to stay idle for Netty's default quiet
 * period of 2 s: 12 s of every stop (and restart) went into six waits of nothing. Unbinding them together keeps each
 * unbind exactly as graceful (open connections closed, work in flight finished before the stores close) and costs
 * one quiet period; James' own destroy afterwards finds them unbound and only releases the rest (MBeans, executors).
 */
public final class MailPortsClosing {
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
                .map(server -> new Thread(server::unbind, "closing-mail-port"))
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
}
