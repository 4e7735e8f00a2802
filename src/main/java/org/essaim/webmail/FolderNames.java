package org.essaim.webmail;

import java.util.Comparator;
import java.util.List;

import org.essaim.mailserver.MailServerBridge;

/** How IMAP folder names are ordered and shown: INBOX first, then the standard folders, then the rest. */
final class FolderNames {
    static final String INBOX = "INBOX";

    static final Comparator<String> DISPLAY_ORDER = Comparator.comparingInt(FolderNames::rank)
            .thenComparing(String.CASE_INSENSITIVE_ORDER);

    private FolderNames() {
    }

    static String label(String fullName) {
        return INBOX.equalsIgnoreCase(fullName) ? "Inbox" : fullName;
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
