package org.essaim.webmail;

import java.util.Map;

/**
 * What one page's folder drawer shows, and from which read. Folder lists reach the drawer from two threads: the
 * page's own read after an action (UI thread) and the new-mail check's (its scheduler thread, handed to the UI by
 * {@code UI.access}, which runs only once the UI thread is done). A check that read the folders just before the
 * page deleted one would then deliver its list after the page's own, newer one, and bring the deleted folder back;
 * and while the check compared with what it had read itself, it never saw a reason to correct it. So the drawer
 * takes a list only when it was read after the one it shows, and the check reports news against what the drawer
 * shows. Thread-safe: the check thread asks while the UI thread replaces.
 */
final class ShownFolders {
    private long shownRead = -1;
    private Map<String, FolderStatus.State> folders;

    /**
     * @return whether the drawer now shows this list: false when it shows a list read later (this one is stale)
     */
    synchronized boolean show(FolderStatus.Snapshot read) {
        if (read.readOrder() <= shownRead) {
            return false;
        }
        shownRead = read.readOrder();
        folders = read.folders();
        return true;
    }

    /** The folders could not be read: the drawer shows a fallback, so any later list is news. */
    synchronized void unavailable() {
        folders = null;
    }

    /**
     * Whether a check's read is newer than what the drawer shows and differs from it (or the drawer shows nothing
     * real). A read older than the list shown is no news, whatever it holds.
     */
    synchronized boolean isNews(FolderStatus.Snapshot read) {
        return read.readOrder() > shownRead && (folders == null || !folders.equals(read.folders()));
    }

    /** The folders shown, null when none could be read. */
    synchronized Map<String, FolderStatus.State> folders() {
        return folders;
    }
}
