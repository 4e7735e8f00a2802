package org.essaim.lists;

import java.util.List;
import java.util.Locale;

/**
 * One list and its settings.
 *
 * @param address       name@domain, lower case
 * @param owners        the moderators: they approve held posts and manage members
 * @param subjectPrefix put before each post's subject (e.g. "[team]"), empty for none
 */
public record MailingList(String address, String description, List<String> owners, Posting posting,
                          Archive archive, String subjectPrefix, Kind kind) {

    /** Who may post without being held. */
    public enum Posting {
        /** Members post; others' posts are held for the owners (public lists) or refused. */
        MEMBERS,
        /** Anyone posts. */
        ANYONE,
        /** Every post waits for an owner's approval. */
        MODERATED;

        public static Posting parse(String value) {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        }
    }

    /** Who reads the archive. */
    public enum Archive {
        /** Anyone on the web: the one plaintext Essaim keeps, and every post says so. */
        PUBLIC,
        /** Members only: each post stored encrypted to the members' keys. */
        MEMBERS,
        /** No archive. */
        NONE;

        public static Archive parse(String value) {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        }
    }

    /** ORDINARY lists are managed by their owners; ADMINS is admins@domain, whose members are the admins. */
    public enum Kind { ORDINARY, ADMINS }

    public String name() {
        return address.substring(0, address.indexOf('@'));
    }

    public String domain() {
        return address.substring(address.indexOf('@') + 1);
    }

    public boolean isPublic() {
        return archive == Archive.PUBLIC;
    }

    public boolean isOwner(String address) {
        return owners.contains(address.toLowerCase(Locale.ROOT));
    }

    /** The address name-suffix@domain (subscribe, unsubscribe, owner, bounces, confirm). */
    public String commandAddress(String suffix) {
        return name() + "-" + suffix + "@" + domain();
    }

    /** "name at domain": how the web pages write addresses, so that harvesters find none. */
    public static String obfuscated(String address) {
        return address.replace("@", " at ");
    }
}
