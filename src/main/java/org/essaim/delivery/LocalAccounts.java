package org.essaim.delivery;

import java.util.List;
import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.core.MailAddress;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.james.rrt.api.RecipientRewriteTable;
import org.apache.james.rrt.api.RecipientRewriteTable.ErrorMappingException;
import org.apache.james.rrt.api.RecipientRewriteTableException;
import org.apache.james.rrt.lib.Mapping;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.api.UsersRepositoryException;

/**
 * Which accounts of this server an envelope recipient stands for: the account itself, or the accounts an alias
 * leads to (James resolves aliases only after the queue, too late to encrypt for the right key).
 */
public class LocalAccounts {
    private final DomainList domains;
    private final UsersRepository users;
    private final RecipientRewriteTable aliases;

    @Inject
    public LocalAccounts(DomainList domains, UsersRepository users, RecipientRewriteTable aliases) {
        this.domains = domains;
        this.users = users;
        this.aliases = aliases;
    }

    /**
     * The local accounts mail for this address is stored in; empty for a remote address, and for a local address
     * that is neither an account nor an alias of one (postmaster without mapping, forward to another server).
     */
    public List<MailAddress> accountsReachedBy(MailAddress address) {
        try {
            if (!domains.containsDomain(address.getDomain())) {
                return List.of();
            }
            if (isAccount(address)) {
                return List.of(address);
            }
            return aliases.getResolvedMappings(address.getLocalPart(), address.getDomain()).asStream()
                    .map(Mapping::asMailAddress)
                    .flatMap(Optional::stream)
                    .filter(this::isAccount)
                    .distinct()
                    .toList();
        } catch (ErrorMappingException e) {
            return List.of();
        } catch (DomainListException | RecipientRewriteTableException e) {
            throw new IllegalStateException("Cannot look up local accounts", e);
        }
    }

    private boolean isAccount(MailAddress address) {
        try {
            return users.contains(users.getUsername(address));
        } catch (UsersRepositoryException e) {
            throw new IllegalStateException("Cannot look up local accounts", e);
        }
    }
}
