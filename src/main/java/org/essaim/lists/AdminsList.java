package org.essaim.lists;

import java.util.List;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * The admins' list, {@code admins@<domain>}, exists from the first start. Its members are not stored: they are the
 * current admins (accounts/AccountRoles), so the list follows every co-optation, removal and resignation the moment
 * it happens, and each of those is an entry of the public audit log. Only admins post (logged in); any account may
 * follow it (receive and read); its archive is public exactly when the audit log is (essaim.audit.public).
 */
@Component
class AdminsList implements ApplicationRunner {
    static final String NAME = "admins";

    private final ListService lists;
    private final ListSettings settings;

    AdminsList(ListService lists, ListSettings settings) {
        this.lists = lists;
        this.settings = settings;
    }

    @Override
    public void run(ApplicationArguments args) {
        String address = NAME + "@" + settings.domain().toLowerCase(java.util.Locale.ROOT);
        if (lists.list(address).isEmpty()) {
            lists.create(new MailingList(address,
                    "The admins' list: its members are the admins; anyone with an account may follow it",
                    List.of(), MailingList.Posting.MEMBERS, MailingList.Archive.MEMBERS, "[admins]",
                    MailingList.Kind.ADMINS));
        }
    }
}
