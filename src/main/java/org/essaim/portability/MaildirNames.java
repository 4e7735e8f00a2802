package org.essaim.portability;

import java.util.Date;
import java.util.Set;
import java.util.TreeSet;

/**
 * Maildir conventions for exports and imports (cr.yp.to/proto/maildir.html, Maildir++ folders): INBOX is
 * {@code Maildir/cur}, folder {@code Sent} is {@code Maildir/.Sent/cur}; a file name is
 * {@code <seconds>.<unique>.<host>:2,<flags>} with the flags D (draft), F (flagged), R (answered), S (seen),
 * T (deleted), in ASCII order. IMAP keywords have no Maildir letter: exports keep them in a small JSON entry.
 */
final class MaildirNames {
    static final String ROOT = "Maildir";

    private MaildirNames() {
    }

    /** The directory of a folder inside the zip, e.g. {@code Maildir} or {@code Maildir/.Sent}. */
    static String directoryOf(String folder) {
        return folder.equalsIgnoreCase("INBOX") ? ROOT : ROOT + "/." + folder.replace('/', '.');
    }

    /** The folder a Maildir directory (the one holding {@code cur/}) stands for. */
    static String folderOf(String directory) {
        String name = directory.contains("/") ? directory.substring(directory.lastIndexOf('/') + 1) : directory;
        return name.startsWith(".") && name.length() > 1 ? name.substring(1) : "INBOX";
    }

    static String fileName(Date internalDate, String unique, Set<String> flags) {
        return (internalDate == null ? 0 : internalDate.getTime() / 1000) + "." + unique + ".essaim:2," + letters(flags);
    }

    static String letters(Set<String> flags) {
        StringBuilder letters = new StringBuilder();
        if (flags.contains("\\Draft")) {
            letters.append('D');
        }
        if (flags.contains("\\Flagged")) {
            letters.append('F');
        }
        if (flags.contains("\\Answered")) {
            letters.append('R');
        }
        if (flags.contains("\\Seen")) {
            letters.append('S');
        }
        if (flags.contains("\\Deleted")) {
            letters.append('T');
        }
        return letters.toString();
    }

    /** The system flags a Maildir file name carries (after {@code :2,}). */
    static Set<String> flagsOf(String fileName) {
        Set<String> flags = new TreeSet<>();
        int info = fileName.lastIndexOf(":2,");
        if (info < 0) {
            return flags;
        }
        for (char letter : fileName.substring(info + 3).toCharArray()) {
            switch (letter) {
                case 'D' -> flags.add("\\Draft");
                case 'F' -> flags.add("\\Flagged");
                case 'R' -> flags.add("\\Answered");
                case 'S' -> flags.add("\\Seen");
                case 'T' -> flags.add("\\Deleted");
                default -> { }
            }
        }
        return flags;
    }

    /** The delivery time a Maildir file name starts with, or null. */
    static Date dateOf(String fileName) {
        int dot = fileName.indexOf('.');
        try {
            return dot > 0 ? new Date(Long.parseLong(fileName.substring(0, dot)) * 1000) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
