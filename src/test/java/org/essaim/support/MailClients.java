package org.essaim.support;

import java.util.Properties;

import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;

/** Jakarta Mail stores for tests: IMAPS and POP3S against an {@link EssaimInstance}. */
public final class MailClients {
    private MailClients() {
    }

    public static Store imaps(EssaimInstance essaim, String user, String password) throws MessagingException {
        return connect("imaps", essaim.imapsPort(), user, password);
    }

    /** IMAPS on a port of any Essaim (e.g. one in its own process, {@link ChildEssaim}). */
    public static Store imaps(int port, String user, String password) throws MessagingException {
        return connect("imaps", port, user, password);
    }

    public static Store pop3s(EssaimInstance essaim, String user, String password) throws MessagingException {
        return connect("pop3s", essaim.pop3sPort(), user, password);
    }

    private static Store connect(String protocol, int port, String user, String password) throws MessagingException {
        Properties props = new Properties();
        props.put("mail." + protocol + ".ssl.socketFactory", TrustAllTls.socketFactory());
        props.put("mail." + protocol + ".ssl.checkserveridentity", "false");
        props.put("mail." + protocol + ".connectiontimeout", "10000");
        props.put("mail." + protocol + ".timeout", "60000");
        Store store = Session.getInstance(props).getStore(protocol);
        store.connect("127.0.0.1", port, user, password);
        return store;
    }

    /** Waits until the folder holds at least {@code count} messages (delivery goes through the queue). */
    public static void awaitMessages(Store store, String folderName, int count) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        while (true) {
            Folder folder = store.getFolder(folderName);
            folder.open(Folder.READ_ONLY);
            int found = folder.getMessageCount();
            folder.close(false);
            if (found >= count) {
                return;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(folderName + " holds " + found + " messages, expected " + count);
            }
            Thread.sleep(200);
        }
    }
}
