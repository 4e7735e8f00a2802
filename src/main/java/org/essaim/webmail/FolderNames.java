package org.essaim.webmail;

import java.util.Comparator;
import java.util.List;

import org.essaim.mailserver.MailServerBridge;

import com.vaadin.flow.component.UI;

/** How IMAP folder names are ordered and shown: INBOX first, then the standard folders, then the rest. */
final class FolderNames {
    static final String INBOX = "INBOX";

    static final Comparator<String> DISPLAY_ORDER = Comparator.comparingInt(FolderNames::rank)
            .thenComparing(String.CASE_INSENSITIVE_ORDER);

    private FolderNames() {
    }

    /** The standard folders in the page's language (bundle keys folder.INBOX, folder.Sent...); others as named. */
    static String label(String fullName) {
        String name = INBOX.equalsIgnoreCase(fullName) ? INBOX : fullName;
        boolean standard = INBOX.equals(name) || MailServerBridge.STANDARD_FOLDERS.contains(name);
        UI ui = UI.getCurrent();
        if (!standard || ui == null) {
            return INBOX.equals(name) ? "Inbox" : fullName;
        }
        return ui.getTranslation("folder." + name);
    }

    private static int rank(String name) {
        if (INBOX.equalsIgnoreCase(name)) {
            return 0;
        }
        List<String> standard = MailServerBridge.STANDARD_FOLDERS;
        int index = standard.indexOf(name);
        return index < 0 ? standard.size() + 1 : index + 1;
    }
}
