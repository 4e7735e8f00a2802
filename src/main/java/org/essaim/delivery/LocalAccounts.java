package org.essaim.delivery;

import javax.inject.Inject;

import org.apache.james.core.MailAddress;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.api.UsersRepositoryException;

/** Tells whether an address is the mailbox of an account of this server (whose mail must be stored encrypted). */
public class LocalAccounts {
    private final DomainList domains;
    private final UsersRepository users;

    @Inject
    public LocalAccounts(DomainList domains, UsersRepository users) {
        this.domains = domains;
        this.users = users;
    }

    public boolean isLocalAccount(MailAddress address) {
        try {
            return domains.containsDomain(address.getDomain()) && users.contains(users.getUsername(address));
        } catch (DomainListException | UsersRepositoryException e) {
            throw new IllegalStateException("Cannot look up local accounts", e);
        }
    }
}
