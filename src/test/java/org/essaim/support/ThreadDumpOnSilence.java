package org.essaim.support;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.net.SocketTimeoutException;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * When a test fails because a server stopped answering (a {@link SocketTimeoutException} anywhere in the cause
 * chain), prints every thread of this JVM to the test's output (target/surefire-reports/*-output.txt) before the
 * failure is reported. The shared and own Essaim instances run in the test JVM, so the dump shows what the server's
 * threads were doing while the client waited: a rare IMAP partial FETCH that never answered (seen under load, cause
 * unknown) can only be explained from such a dump. Registered for every test class by ServiceLoader
 * (META-INF/services, junit.jupiter.extensions.autodetection.enabled); it never changes a test's outcome.
 */
public class ThreadDumpOnSilence implements TestExecutionExceptionHandler {

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        if (causedBySilence(failure)) {
            System.out.println("==== Thread dump: " + context.getDisplayName() + " failed on a socket read timeout ====");
            for (ThreadInfo thread : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
                System.out.print(fullStack(thread));
            }
            System.out.println("==== End of thread dump ====");
        }
        throw failure;
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
