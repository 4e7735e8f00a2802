package org.essaim.mailserver.guice;

import org.apache.commons.configuration2.BaseHierarchicalConfiguration;
import org.apache.james.CoreDataModule;
import org.apache.james.adapter.mailbox.UserRepositoryAuthorizator;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.jpa.JPADomainList;
import org.apache.james.domainlist.lib.DomainListConfiguration;
import org.apache.james.mailbox.Authorizator;
import org.apache.james.mailrepository.api.MailRepositoryFactory;
import org.apache.james.mailrepository.api.MailRepositoryUrlStore;
import org.apache.james.mailrepository.api.Protocol;
import org.apache.james.mailrepository.jpa.JPAMailRepository;
import org.apache.james.mailrepository.jpa.JPAMailRepositoryFactory;
import org.apache.james.mailrepository.jpa.JPAMailRepositoryUrlStore;
import org.apache.james.mailrepository.memory.MailRepositoryStoreConfiguration;
import org.apache.james.rrt.api.AliasReverseResolver;
import org.apache.james.rrt.api.CanSendFrom;
import org.apache.james.rrt.api.RecipientRewriteTable;
import org.apache.james.rrt.jpa.JPARecipientRewriteTable;
import org.apache.james.rrt.lib.AliasReverseResolverImpl;
import org.apache.james.rrt.lib.CanSendFromImpl;
import org.apache.james.server.core.configuration.ConfigurationProvider;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.jpa.JPAUsersRepository;
import org.apache.james.utils.InitializationOperation;
import org.apache.james.utils.InitilizationOperationBuilder;

import com.google.common.collect.ImmutableList;
import com.google.inject.AbstractModule;
import com.google.inject.Scopes;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.ProvidesIntoSet;

/**
 * Users, domains, aliases (recipient rewrite table) and mail repositories on JPA.
 * James 3.8.1 publishes these classes but not the Guice module that wires them, hence this one.
 */
class JpaDataModule extends AbstractModule {

    @Override
    protected void configure() {
        install(new CoreDataModule());

        bind(JPADomainList.class).in(Scopes.SINGLETON);
        bind(DomainList.class).to(JPADomainList.class);

        bind(JPAUsersRepository.class).in(Scopes.SINGLETON);
        bind(DisablingUsersRepository.class).in(Scopes.SINGLETON);
        bind(UsersRepository.class).to(DisablingUsersRepository.class);

        bind(JPARecipientRewriteTable.class).in(Scopes.SINGLETON);
        bind(RecipientRewriteTable.class).to(JPARecipientRewriteTable.class);
        bind(AliasReverseResolverImpl.class).in(Scopes.SINGLETON);
        bind(AliasReverseResolver.class).to(AliasReverseResolverImpl.class);
        bind(CanSendFromImpl.class).in(Scopes.SINGLETON);
        bind(CanSendFrom.class).to(CanSendFromImpl.class);

        bind(JPAMailRepositoryUrlStore.class).in(Scopes.SINGLETON);
        bind(MailRepositoryUrlStore.class).to(JPAMailRepositoryUrlStore.class);
        bind(MailRepositoryStoreConfiguration.Item.class)
                .toProvider(() -> new MailRepositoryStoreConfiguration.Item(
                        ImmutableList.of(new Protocol("jpa")),
                        JPAMailRepository.class.getName(),
                        new BaseHierarchicalConfiguration()));
        Multibinder.newSetBinder(binder(), MailRepositoryFactory.class)
                .addBinding().to(JPAMailRepositoryFactory.class);
    }

    @ProvidesIntoSet
    InitializationOperation configureDomainList(DomainListConfiguration configuration, JPADomainList domainList) {
        return InitilizationOperationBuilder.forClass(JPADomainList.class)
                .init(() -> domainList.configure(configuration));
    }

    @ProvidesIntoSet
    InitializationOperation configureUsers(ConfigurationProvider configurationProvider, JPAUsersRepository users) {
        return InitilizationOperationBuilder.forClass(JPAUsersRepository.class)
                .init(() -> users.configure(configurationProvider.getConfiguration("usersrepository")));
    }

    @ProvidesIntoSet
    InitializationOperation configureAliases(ConfigurationProvider configurationProvider, JPARecipientRewriteTable table) {
        return InitilizationOperationBuilder.forClass(JPARecipientRewriteTable.class)
                .init(() -> table.configure(configurationProvider.getConfiguration("recipientrewritetable")));
    }
}
