package org.essaim.webmail;

import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.PreDestroy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.stereotype.Component;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.server.WrappedSession;
import com.vaadin.flow.shared.Registration;

/**
 * New mail without reload. Every open webmail page (UI) is checked every few seconds (15 by default,
 * {@code essaim.webmail.new-mail-check-seconds}) by polling, not IMAP IDLE: IDLE would hold a second IMAP
 * connection (and a blocked thread) per open tab and watch one folder only, while one LIST + one STATUS per folder
 * on the session's existing connection costs a few milliseconds, sees every folder (drawer counts) and needs no
 * thread per user. When the snapshot is newer than the drawer's list and differs from it ({@link ShownFolders}),
 * {@link MailboxChanged} is fired in the UI through server push.
 * <p>
 * One shared scheduler thread serves all pages; a page's check is cancelled when its UI detaches (tab closed,
 * logout, session end), and the check borrows the session's connection, so nothing is left behind.
 */
@Component
public class NewMailChecks {
    private static final Logger LOGGER = LoggerFactory.getLogger(NewMailChecks.class);

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "essaim-new-mail-check");
        thread.setDaemon(true);
        return thread;
    });
    private final long intervalSeconds;

    public NewMailChecks(@Value("${essaim.webmail.new-mail-check-seconds:15}") long intervalSeconds) {
        this.intervalSeconds = Math.max(1, intervalSeconds);
    }

    /**
     * Starts checking the mailbox for this UI, from the UI thread. Each check borrows the session's current security
     * context (the logged-in user, read afresh from the HTTP session since a password change replaces it), so a
     * dropped connection can be reopened; a logged-out or expired session is not checked.
     *
     * @param shown what the page's drawer shows: each check compares with it, and the page keeps it up to date
     * @return the running checks; remove them when the page goes
     */
    Watch watch(UI ui, MailboxConnection mailbox, ShownFolders shown) {
        WrappedSession user = ui.getSession().getSession();
        FolderStatus status = new FolderStatus(mailbox);
        Check check = new Check(ui, status, user, shown);
        ScheduledFuture<?> future = scheduler.scheduleWithFixedDelay(check, intervalSeconds, intervalSeconds, TimeUnit.SECONDS);
        return new Watch(check, future);
    }

    /**
     * One page's checks: every few seconds, and once more at once when the page changes ({@link #lookNow}), so that
     * whoever opens the Inbox to see whether mail came finds the drawer's counts, the title, the search index and
     * the spam filter in step with the list the view just read, not up to 15 s later.
     */
    final class Watch implements Registration {
        private final Check check;
        private final ScheduledFuture<?> periodic;
        /** A look asked for and not started yet: page changes in a row share it. */
        private final AtomicBoolean lookPending = new AtomicBoolean();

        private Watch(Check check, ScheduledFuture<?> periodic) {
            this.check = check;
            this.periodic = periodic;
        }

        /**
         * Looks for news on the checks' own thread, as soon as it is free, never on the caller's: a navigation must not
         * wait for IMAP (it made TwoPeopleWriteToEachOtherTest's page changes slower when it ran on the request thread).
         */
        void lookNow() {
            if (periodic.isCancelled() || !lookPending.compareAndSet(false, true)) {
                return;
            }
            try {
                scheduler.execute(() -> {
                    lookPending.set(false);
                    check.run();
                });
            } catch (RejectedExecutionException stopping) {
                lookPending.set(false); // the application is stopping: no page needs news any more
            }
        }

        @Override
        public void remove() {
            periodic.cancel(false);
        }
    }

    @PreDestroy
    void stop() {
        scheduler.shutdownNow();
    }

    private static final class Check implements Runnable {
        private final UI ui;
        private final FolderStatus status;
        private final WrappedSession user;
        private final ShownFolders shown;

        Check(UI ui, FolderStatus status, WrappedSession user, ShownFolders shown) {
            this.ui = ui;
            this.status = status;
            this.user = user;
            this.shown = shown;
        }

        @Override
        public void run() {
            try {
                if (!(user.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY)
                        instanceof SecurityContext context) || context.getAuthentication() == null) {
                    return; // logged out
                }
                SecurityContextHolder.setContext(context);
                FolderStatus.Snapshot now = status.snapshot();
                if (shown.isNews(now)) {
                    // The page may close while this check runs (its cancellation does not stop a running check):
                    // a page that is gone needs no news, which is no error.
                    ui.accessLater(() -> MailboxChanged.fire(ui, now), () -> { }).run();
                }
            } catch (RuntimeException e) {
                // Never let one failure end the schedule (the connection is reopened next time); keep it quiet.
                LOGGER.debug("New mail check failed: {}", e.getMessage());
            } finally {
                SecurityContextHolder.clearContext();
            }
        }
    }
}
