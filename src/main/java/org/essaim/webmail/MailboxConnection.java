package org.essaim.webmail;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import jakarta.annotation.PreDestroy;
import jakarta.mail.Folder;
import jakarta.mail.FolderClosedException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.StoreClosedException;

import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.protocol.BODY;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.eclipse.angus.mail.imap.protocol.UID;

import org.essaim.mailserver.MailEndpoints;
import org.essaim.mailserver.MailServerBridge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

import com.vaadin.flow.spring.annotation.VaadinSessionScope;

/**
 * The webmail's IMAP connection for one browser session, opened as the logged-in user over IMAPS to the
 * embedded server (pinned certificate). One Store per session, closed at logout or when the session ends.
 * The password is read from the session's Authentication at connect time and kept nowhere else.
 */
@Component
@VaadinSessionScope
public class MailboxConnection {
    private static final Logger LOGGER = LoggerFactory.getLogger(MailboxConnection.class);

    private final MailServerBridge mailServer;
    private Store store;
    private Folder openFolder;

    public MailboxConnection(MailServerBridge mailServer) {
        this.mailServer = mailServer;
    }

    /** Full names of the user's folders, INBOX first. */
    public synchronized List<String> folderNames() {
        try {
            List<String> names = new ArrayList<>();
            for (Folder folder : store().getDefaultFolder().list("*")) {
                if ((folder.getType() & Folder.HOLDS_MESSAGES) != 0) {
                    names.add(folder.getFullName());
                }
            }
            names.sort(FolderNames.DISPLAY_ORDER);
            return names;
        } catch (MessagingException e) {
            throw unavailable("Cannot list your folders", e);
        }
    }

    public synchronized boolean folderExists(String name) {
        try {
            return store().getFolder(name).exists();
        } catch (MessagingException e) {
            throw unavailable("Cannot open folder " + name, e);
        }
    }

    public synchronized int messageCount(String folderName) {
        try {
            return inFolder(folderName, Folder::getMessageCount);
        } catch (MessagingException e) {
            throw unavailable("Cannot open folder " + folderName, e);
        }
    }

    /**
     * A stored message exactly as the server holds it, in one {@code UID FETCH BODY.PEEK[]} (the default partial
     * fetch takes 16 KB per round trip: ~9 of them for a 140 KB message), without setting \Seen. Empty when the
     * folder holds no message with this UID (moved or deleted meanwhile). The reader and the composer read
     * stored messages through this.
     */
    public synchronized Optional<byte[]> storedBytes(String folderName, long uid) throws MessagingException {
        return inFolder(folderName, folder -> {
            BODY body = (BODY) ((IMAPFolder) folder).doCommand(protocol -> bodyOfUid(protocol, uid));
            return body == null ? Optional.empty() : Optional.of(body.getByteArrayInputStream().readAllBytes());
        });
    }

    /**
     * {@code UID FETCH uid (UID BODY.PEEK[])}, the content taken from the response that names this UID: not
     * {@code FETCH n} by a sequence number cached earlier, which shows another message's content whenever the
     * client's and the server's numbering of the folder drift apart (James 3.8.1's SELECT could announce a count it
     * had not numbered yet, JAMES-4088: the search index then gave one message another's subject). Untagged
     * responses go to the folder as for any command (EXISTS, EXPUNGE, flags). Null when the message is gone.
     */
    private static BODY bodyOfUid(IMAPProtocol protocol, long uid) throws ProtocolException {
        Response[] responses = protocol.command("UID FETCH " + uid + " (UID BODY.PEEK[])", null);
        protocol.notifyResponseHandlers(responses);
        Response result = responses[responses.length - 1];
        if (result.isNO()) {
            return null;
        }
        protocol.handleResult(result);
        for (Response response : responses) {
            if (response instanceof FetchResponse fetch) {
                UID named = fetch.getItem(UID.class);
                BODY body = fetch.getItem(BODY.class);
                if (named != null && named.uid == uid && body != null) {
                    return body;
                }
            }
        }
        return null;
    }

    /**
     * Runs an action on a folder opened read-only (list, fetch with PEEK). Feature classes of the webmail (reader,
     * composer, folder actions) reach IMAP through this and {@link #withStore}, so that one session keeps one
     * connection and one open folder.
     */
    public synchronized <T> T inFolder(String folderName, FolderAction<T> action) throws MessagingException {
        return inFolder(folderName, Folder.READ_ONLY, action);
    }

    /** Runs an action on a folder opened read-write (flags, move, expunge); reopens it if it was read-only. */
    public synchronized <T> T inWritableFolder(String folderName, FolderAction<T> action) throws MessagingException {
        return inFolder(folderName, Folder.READ_WRITE, action);
    }

    /**
     * Runs an action on the connected store (folder create/rename/delete, APPEND). The open folder is closed
     * first, since renaming or deleting it would leave a stale handle.
     */
    public synchronized <T> T withStore(StoreAction<T> action) throws MessagingException {
        closeOpenFolder();
        try {
            return action.apply(store());
        } catch (StoreClosedException dropped) {
            close();
            return action.apply(store());
        }
    }

    /**
     * A connection the server dropped meanwhile (idle timeout, restart) is reopened once, transparently.
     */
    private <T> T inFolder(String folderName, int mode, FolderAction<T> action) throws MessagingException {
        try {
            return action.apply(open(folderName, mode));
        } catch (FolderClosedException | StoreClosedException dropped) {
            close();
            return action.apply(open(folderName, mode));
        }
    }

    @FunctionalInterface
    public interface FolderAction<T> {
        T apply(Folder folder) throws MessagingException;
    }

    @FunctionalInterface
    public interface StoreAction<T> {
        T apply(Store store) throws MessagingException;
    }

    @PreDestroy
    public synchronized void close() {
        try {
            if (openFolder != null && openFolder.isOpen()) {
                openFolder.close(false);
            }
            if (store != null) {
                store.close();
            }
        } catch (MessagingException e) {
            LOGGER.debug("Closing the IMAP session failed: {}", e.getMessage());
        } finally {
            openFolder = null;
            store = null;
        }
    }

    private Folder open(String folderName, int mode) throws MessagingException {
        if (openFolder != null && openFolder.getFullName().equals(folderName) && openFolder.isOpen()
                && (mode == Folder.READ_ONLY || openFolder.getMode() == Folder.READ_WRITE)) {
            return openFolder;
        }
        closeOpenFolder();
        Folder folder = store().getFolder(folderName);
        folder.open(mode);
        openFolder = folder;
        return folder;
    }

    private void closeOpenFolder() {
        try {
            if (openFolder != null && openFolder.isOpen()) {
                openFolder.close(false);
            }
        } catch (MessagingException e) {
            LOGGER.debug("Closing the open folder failed: {}", e.getMessage());
        } finally {
            openFolder = null;
        }
    }

    private Store store() throws MessagingException {
        if (store != null && store.isConnected()) {
            return store;
        }
        openFolder = null;
        Authentication user = SecurityContextHolder.getContext().getAuthentication();
        if (user == null || !(user.getCredentials() instanceof String password)) {
            throw new MessagingException("No logged-in user with a password to open the mailbox");
        }
        MailEndpoints endpoints = mailServer.endpoints();
        Properties props = new Properties();
        props.put("mail.imaps.ssl.socketFactory", endpoints.socketFactory());
        // The certificate is pinned by the socket factory, so the host name need not match it.
        props.put("mail.imaps.ssl.checkserveridentity", "false");
        props.put("mail.imaps.connectiontimeout", "10000");
        props.put("mail.imaps.timeout", "30000");
        Store connected = Session.getInstance(props).getStore("imaps");
        connected.connect(endpoints.host(), endpoints.imapsPort(), user.getName(), password);
        store = connected;
        return store;
    }

    private MailboxUnavailableException unavailable(String what, MessagingException cause) {
        // Jakarta Mail messages carry server replies, never the password; the address is not logged either.
        LOGGER.warn("{}: {}", what, cause.getMessage());
        return new MailboxUnavailableException(what + ": " + cause.getMessage(), cause);
    }
}
