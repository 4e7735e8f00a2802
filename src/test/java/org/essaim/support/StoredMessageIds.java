package org.essaim.support;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Message-IDs (outer header, readable on encrypted mail) of every message in a folder, read over IMAPS. */
public final class StoredMessageIds {
    private static final Pattern MESSAGE_ID = Pattern.compile("(?i)Message-ID:\\s*<([^>]+)>");

    private StoredMessageIds() {
    }

    public static Set<String> in(int imapsPort, String user, String password, String folder) {
        try (LineClient imap = LineClient.connectTls(imapsPort)) {
            imap.readLine();
            imap.send("a LOGIN \"" + user + "\" \"" + password + "\"");
            String login = imap.readImapUntilTagged("a");
            if (!login.contains("a OK")) {
                throw new IllegalStateException("IMAP LOGIN failed: " + login);
            }
            imap.send("b EXAMINE " + folder);
            String examine = imap.readImapUntilTagged("b");
            Set<String> ids = new HashSet<>();
            if (!examine.contains("* 0 EXISTS")) {
                imap.send("c FETCH 1:* (BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])");
                Matcher matcher = MESSAGE_ID.matcher(imap.readImapUntilTagged("c"));
                while (matcher.find()) {
                    ids.add(matcher.group(1));
                }
            }
            imap.send("d LOGOUT");
            return ids;
        }
    }
}
