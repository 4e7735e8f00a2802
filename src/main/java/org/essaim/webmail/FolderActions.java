package org.essaim.webmail;

import java.util.Locale;

import jakarta.mail.Folder;
import jakarta.mail.MessagingException;

import org.essaim.i18n.Translations;
import org.essaim.mailserver.MailServerBridge;

/**
 * The user's own folders: create, rename, delete, over the session's IMAP connection. INBOX and the standard
 * folders every account starts with (Drafts, Sent, Archive, Spam, Trash) cannot be renamed or deleted, since
 * the webmail files mail into them by name. Bad names get a clear error and change nothing.
 */
final class FolderActions {
    private final MailboxConnection mailbox;

    FolderActions(MailboxConnection mailbox) {
        this.mailbox = mailbox;
    }

    static boolean isStandard(String name) {
        return FolderNames.INBOX.equalsIgnoreCase(name) || MailServerBridge.STANDARD_FOLDERS.contains(name);
    }

    /** @return the new folder's full name */
    String create(String requestedName) {
        String name = validName(requestedName);
        return withStore("create folder \"" + name + "\"", store -> {
            Folder folder = store.getFolder(name);
            if (folder.exists()) {
                throw new FolderActionException(Translations.forCurrentPage("folder.exists", name));
            }
            if (!folder.create(Folder.HOLDS_MESSAGES)) {
                throw new FolderActionException(Translations.forCurrentPage("folder.createRefused", name));
            }
            folder.setSubscribed(true);
            return name;
        });
    }

    /** @return the folder's new full name */
    String rename(String oldName, String requestedName) {
        requireOwn(oldName, "renamed");
        String name = validName(requestedName);
        if (name.equals(oldName)) {
            return name;
        }
        return withStore("rename folder \"" + oldName + "\"", store -> {
            Folder folder = store.getFolder(oldName);
            Folder renamed = store.getFolder(name);
            if (!folder.exists()) {
                throw new FolderActionException(Translations.forCurrentPage("folder.none", oldName));
            }
            if (renamed.exists()) {
                throw new FolderActionException(Translations.forCurrentPage("folder.exists", name));
            }
            if (!folder.renameTo(renamed)) {
                throw new FolderActionException(Translations.forCurrentPage("folder.renameRefused", oldName));
            }
            return name;
        });
    }

    /** Deletes the folder and the messages in it (the view asks first when there are any). */
    void delete(String name) {
        requireOwn(name, "deleted");
        withStore("delete folder \"" + name + "\"", store -> {
            Folder folder = store.getFolder(name);
            if (!folder.exists()) {
                throw new FolderActionException(Translations.forCurrentPage("folder.none", name));
            }
            if (!folder.delete(true)) {
                throw new FolderActionException(Translations.forCurrentPage("folder.deleteRefused", name));
            }
            return null;
        });
    }

    int messageCount(String name) {
        return withStore("count the messages of \"" + name + "\"", store -> store.getFolder(name).getMessageCount());
    }

    private static void requireOwn(String name, String what) {
        if (isStandard(name)) {
            throw new FolderActionException(Translations.forCurrentPage("folder.standardCannotBe." + what, FolderNames.label(name)));
        }
    }

    /**
     * One level of folders: the hierarchy separator ('.' in James, '/' elsewhere) and IMAP wildcards would make
     * a name mean something else; control characters are never meant.
     */
    static String validName(String requested) {
        String name = requested == null ? "" : requested.strip();
        if (name.isEmpty()) {
            throw new FolderActionException(Translations.forCurrentPage("folder.nameMissing"));
        }
        if (name.length() > 100) {
            throw new FolderActionException(Translations.forCurrentPage("folder.nameTooLong", 100));
        }
        if (name.chars().anyMatch(c -> c == '.' || c == '/' || c == '%' || c == '*' || c == '"' || c == '\\'
                || Character.isISOControl(c))) {
            throw new FolderActionException(Translations.forCurrentPage("folder.nameCharacters"));
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (FolderNames.INBOX.equalsIgnoreCase(name)
                || MailServerBridge.STANDARD_FOLDERS.stream().anyMatch(s -> s.toLowerCase(Locale.ROOT).equals(lower))) {
            throw new FolderActionException(Translations.forCurrentPage("folder.nameStandard", name));
        }
        return name;
    }

    private <T> T withStore(String what, MailboxConnection.StoreAction<T> action) {
        try {
            return mailbox.withStore(action);
        } catch (MessagingException e) {
            throw new MailboxUnavailableException("Cannot " + what + ": " + e.getMessage(), e);
        }
    }

    /** A folder request that was refused, with the reason to show. */
    static final class FolderActionException extends RuntimeException {
        FolderActionException(String message) {
            super(message);
        }
    }
}
