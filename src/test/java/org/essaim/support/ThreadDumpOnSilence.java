package org.essaim.support;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.reflect.Method;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * When a test fails because a server stopped answering (a {@link SocketTimeoutException} anywhere in the cause
 * chain), prints every thread of this JVM to the test's output (target/surefire-reports/*-output.txt) before the
 * failure is reported. The shared and own Essaim instances run in the test JVM, so the dump shows what the server's
 * threads were doing while the client waited: a rare IMAP partial FETCH that never answered (seen under load, cause
 * unknown) can only be explained from such a dump. Registered for every test class by ServiceLoader
 * (META-INF/services, junit.jupiter.extensions.autodetection.enabled); it never changes a test's outcome.
 * <p>
 * A server in a child JVM ({@link ChildEssaim}) is usually stopped by the test's try-with-resources before the
 * failure gets here, so its threads are caught while the client still waits: when the test's thread has been
 * blocked in one socket read for {@link #SILENCE} (the mail clients give up after 60 s), the thread dumps of every
 * running ChildEssaim ({@code jcmd <pid> Thread.print -l}) are printed to the test's output, once per test.
 */
public class ThreadDumpOnSilence implements TestExecutionExceptionHandler, InvocationInterceptor {
    static final long SILENCE = TimeUnit.SECONDS.toMillis(30);
    private static final long LOOK_EVERY = TimeUnit.SECONDS.toMillis(5);
    private static final ScheduledExecutorService WATCHER = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "thread-dump-on-silence");
        thread.setDaemon(true);
        return thread;
    });

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
                                    ExtensionContext context) throws Throwable {
        watching(invocation, context);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
                                            ExtensionContext context) throws Throwable {
        watching(invocation, context);
    }

    private static void watching(Invocation<Void> invocation, ExtensionContext context) throws Throwable {
        SilenceWatch watch = new SilenceWatch(Thread.currentThread(), context.getDisplayName());
        ScheduledFuture<?> looking = WATCHER.scheduleWithFixedDelay(watch::look, LOOK_EVERY, LOOK_EVERY, TimeUnit.MILLISECONDS);
        try {
            invocation.proceed();
        } finally {
            looking.cancel(false);
        }
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        if (causedBySilence(failure)) {
            System.out.println("==== Thread dump: " + context.getDisplayName() + " failed on a socket read timeout ====");
            for (ThreadInfo thread : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
                System.out.print(fullStack(thread));
            }
            System.out.println("==== End of thread dump ====");
            printChildEssaimThreads("still running when " + context.getDisplayName() + " failed");
        }
        throw failure;
    }

    /**
     * Samples the test's thread; once it has sat in a socket read for SILENCE without using any CPU in between (one
     * read still waiting, not a busy client caught in a different read at each look), dumps the child JVMs once.
     */
    private static final class SilenceWatch {
        private final Thread test;
        private final String name;
        private long readingSince = -1;
        private long cpuAtLastLook = -1;
        private boolean dumped;

        SilenceWatch(Thread test, String name) {
            this.test = test;
            this.name = name;
        }

        synchronized void look() {
            if (dumped) {
                return;
            }
            long now = System.currentTimeMillis();
            long cpu = ManagementFactory.getThreadMXBean().getThreadCpuTime(test.getId());
            boolean stillWaiting = cpu == cpuAtLastLook && cpu != -1;
            cpuAtLastLook = cpu;
            if (!inSocketRead(test.getStackTrace())) {
                readingSince = -1;
            } else if (readingSince < 0 || !stillWaiting) {
                readingSince = now;
            } else if (now - readingSince >= SILENCE) {
                dumped = true;
                printChildEssaimThreads("while " + name + " waited " + (now - readingSince) / 1000 + " s for a socket read");
            }
        }
    }

    private static boolean inSocketRead(StackTraceElement[] stack) {
        for (StackTraceElement frame : stack) {
            if (frame.getClassName().equals("sun.nio.ch.NioSocketImpl")
                    && (frame.getMethodName().equals("read") || frame.getMethodName().equals("timedRead"))) {
                return true;
            }
        }
        return false;
    }

    /** jcmd of this JDK on every live ChildEssaim started by this JVM; nothing when there is none. */
    private static void printChildEssaimThreads(String when) {
        for (ProcessHandle child : ChildEssaim.running()) {
            printThreadsOf(child, when);
        }
    }

    /** {@code jcmd <pid> Thread.print -l} of one child JVM, into this test's output. */
    static void printThreadsOf(ProcessHandle child, String when) {
        StringBuilder out = new StringBuilder("==== Thread dump of ChildEssaim pid " + child.pid() + ", " + when + " ====\n");
        try {
            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            Path dump = Files.createTempFile("child-essaim-threads", ".txt");
            try {
                Process process = new ProcessBuilder(jcmd.toString(), Long.toString(child.pid()), "Thread.print", "-l")
                        .redirectErrorStream(true).redirectOutput(dump.toFile()).start();
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    out.append("(jcmd did not finish within 60 s)\n");
                }
                out.append(Files.readString(dump, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(dump);
            }
        } catch (IOException e) {
            out.append("(no thread dump: ").append(e).append(")\n");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.append("(interrupted)\n");
        }
        System.out.print(out.append("==== End of thread dump of ChildEssaim pid ").append(child.pid()).append(" ====\n"));
    }

    private static boolean causedBySilence(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SocketTimeoutException
                    || String.valueOf(cause.getMessage()).contains("SocketTimeoutException")) {
                return true; // Jakarta Mail reports it inside a message (FolderClosedException: * BYE ...)
            }
        }
        return false;
    }

    /** ThreadInfo.toString() stops after 8 frames; a stuck server needs the whole stack. */
    private static String fullStack(ThreadInfo thread) {
        StringBuilder out = new StringBuilder("\"" + thread.getThreadName() + "\" " + thread.getThreadState());
        if (thread.getLockName() != null) {
            out.append(" on ").append(thread.getLockName());
        }
        if (thread.getLockOwnerName() != null) {
            out.append(" owned by \"").append(thread.getLockOwnerName()).append('"');
        }
        out.append('\n');
        for (StackTraceElement frame : thread.getStackTrace()) {
            out.append("\tat ").append(frame).append('\n');
        }
        return out.append('\n').toString();
    }
}
