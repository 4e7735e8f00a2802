package org.essaim.mailserver.guice;

import java.util.List;

import javax.inject.Inject;

import org.apache.james.core.Domain;
import org.apache.james.core.Username;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.jpa.JPADomainList;
import org.apache.james.lifecycle.api.Startable;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.jpa.JPAUsersRepository;
import org.apache.james.utils.InitializationOperation;
import org.essaim.mailserver.FirstAccount;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.ProvidesIntoSet;

/**
 * Creates the server's domain and, on a server without accounts, the bootstrap admin's account during James' own
 * start-up, before its protocol servers bind their ports. James initialises its Startables in the order they were
 * provisioned; this module is combined first and its step is an eager singleton, so it is provisioned (and run)
 * before the SMTP, IMAP and POP3 server factories, right after the users repository and domain list it requires.
 * Mail folders and the admin role are added by the Spring side afterwards (setup/FirstRunSetup); logging in only
 * needs the account.
 */
public final class FirstAccountBeforePorts implements Startable {
    private final UsersRepository users;
    private final DomainList domains;
    private final FirstAccount firstAccount;

    @Inject
    FirstAccountBeforePorts(UsersRepository users, DomainList domains, FirstAccount firstAccount) {
        this.users = users;
        this.domains = domains;
        this.firstAccount = firstAccount;
    }

    void createIfNoAccount() throws Exception {
        addDomain(firstAccount.domain());
        if (users.countUsers() > 0) {
            return;
        }
        var credentials = firstAccount.toCreate();
        if (credentials.isEmpty()) {
            return;
        }
        Username username = Username.of(credentials.get().address());
        username.getDomainPart().ifPresent(domain -> addDomainQuietly(domain.asString()));
        users.addUser(username, credentials.get().password());
        firstAccount.created(credentials.get().address());
    }

    private void addDomainQuietly(String domain) {
        try {
            addDomain(domain);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot add domain " + domain, e);
        }
    }

    private void addDomain(String name) throws Exception {
        Domain domain = Domain.of(name);
        if (!domains.containsDomain(domain)) {
            domains.addDomain(domain);
        }
    }

    /** Combined first into Essaim's James (EssaimJamesServer). */
    static final class Module extends AbstractModule {
        @Override
        protected void configure() {
            bind(FirstAccountBeforePorts.class).asEagerSingleton();
        }

        @ProvidesIntoSet
        InitializationOperation createFirstAccount(FirstAccountBeforePorts step) {
            return new InitializationOperation() {
                @Override
                public void initModule() throws Exception {
                    step.createIfNoAccount();
                }

                @Override
                public Class<? extends Startable> forClass() {
                    return FirstAccountBeforePorts.class;
                }

                @Override
                public List<Class<?>> requires() {
                    return List.of(JPADomainList.class, JPAUsersRepository.class);
                }
            };
        }
    }
}
