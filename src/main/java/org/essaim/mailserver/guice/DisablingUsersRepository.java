package org.essaim.mailserver.guice;

import java.util.Iterator;
import java.util.Locale;

import javax.inject.Inject;

import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.api.UsersRepositoryException;
import org.apache.james.user.api.model.User;
import org.apache.james.user.jpa.JPAUsersRepository;
import org.essaim.delivery.DisabledAccounts;
import org.reactivestreams.Publisher;

/**
 * James' users with one rule added: a disabled account's password never matches. Every protocol (IMAP, POP3,
 * SMTP AUTH) and the web login check passwords through {@link #test}, so one place refuses them all.
 */
class DisablingUsersRepository implements UsersRepository {
    private final JPAUsersRepository users;
    private final DisabledAccounts disabledAccounts;

    @Inject
    DisablingUsersRepository(JPAUsersRepository users, DisabledAccounts disabledAccounts) {
        this.users = users;
        this.disabledAccounts = disabledAccounts;
    }

    @Override
    public boolean test(Username name, String password) throws UsersRepositoryException {
        return !disabledAccounts.isDisabled(name.asString().toLowerCase(Locale.ROOT)) && users.test(name, password);
    }

    @Override
    public void addUser(Username username, String password) throws UsersRepositoryException {
        users.addUser(username, password);
    }

    @Override
    public User getUserByName(Username name) throws UsersRepositoryException {
        return users.getUserByName(name);
    }

    @Override
    public void updateUser(User user) throws UsersRepositoryException {
        users.updateUser(user);
    }

    @Override
    public void removeUser(Username name) throws UsersRepositoryException {
        users.removeUser(name);
    }

    @Override
    public boolean contains(Username name) throws UsersRepositoryException {
        return users.contains(name);
    }

    @Override
    public Publisher<Boolean> containsReactive(Username name) {
        return users.containsReactive(name);
    }

    @Override
    public int countUsers() throws UsersRepositoryException {
        return users.countUsers();
    }

    @Override
    public Iterator<Username> list() throws UsersRepositoryException {
        return users.list();
    }

    @Override
    public Publisher<Username> listReactive() {
        return users.listReactive();
    }

    @Override
    public boolean supportVirtualHosting() throws UsersRepositoryException {
        return users.supportVirtualHosting();
    }

    @Override
    public Username getUsername(MailAddress mailAddress) throws UsersRepositoryException {
        return users.getUsername(mailAddress);
    }

    @Override
    public MailAddress getMailAddressFor(Username username) throws UsersRepositoryException {
        return users.getMailAddressFor(username);
    }

    @Override
    public boolean isAdministrator(Username username) throws UsersRepositoryException {
        return users.isAdministrator(username);
    }

    @Override
    public boolean isReadOnly() {
        return users.isReadOnly();
    }
}
