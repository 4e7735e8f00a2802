package org.essaim.internet;

import org.essaim.accounts.AccountRoles;
import org.essaim.i18n.TranslatedTitle;
import org.essaim.webmail.MainLayout;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Route;

import jakarta.annotation.security.RolesAllowed;

/**
 * Every DNS record the domain needs, each with what DNS answers now (✔ / missing / different), for admins and
 * spectators. The same list as {@code java -jar essaim.jar dns}.
 */
@Route(value = "admin/dns", layout = MainLayout.class)
@RolesAllowed({AccountRoles.ADMIN, AccountRoles.SPECTATOR})
public class DnsView extends VerticalLayout implements TranslatedTitle {
    private final DomainSetup domain;
    private final Grid<CheckedRecord> records = new Grid<>();

    public DnsView(DomainSetup domain) {
        this.domain = domain;
        setId("dns-view");
        records.setId("dns-records");
        records.addColumn(record -> getTranslation("dns.state." + record.state().name())).setHeader(getTranslation("dns.now")).setAutoWidth(true).setFlexGrow(0)
                .setClassNameGenerator(record -> "dns-" + record.state().name().toLowerCase());
        records.addColumn(record -> record.expected().name()).setHeader(getTranslation("dns.name")).setAutoWidth(true);
        records.addColumn(record -> record.expected().type()).setHeader(getTranslation("dns.type")).setAutoWidth(true).setFlexGrow(0);
        records.addColumn(record -> record.expected().value()).setHeader(getTranslation("dns.value")).setFlexGrow(3);
        records.addColumn(record -> String.join(" | ", record.found())).setHeader(getTranslation("dns.answers")).setFlexGrow(2);
        records.addColumn(record -> getTranslation(record.expected().why())).setHeader(getTranslation("dns.why")).setFlexGrow(2);
        records.setAllRowsVisible(true);
        Button recheck = new Button(getTranslation("dns.checkAgain"), click -> refresh());
        add(new H2(getTranslation("dns.heading", domain.setup().domain())), new Paragraph(getTranslation("dns.intro")), recheck, records);
        retiredKeys();
        refresh();
    }

    private void refresh() {
        records.setItems(domain.checked());
    }

    private void retiredKeys() {
        var published = domain.publishedRetiredKeys();
        if (published.isEmpty()) {
            return;
        }
        add(new H2(getTranslation("dns.retiredKeys")), new Paragraph(getTranslation("dns.retiredKeysExplained")));
        for (String[] key : published) {
            add(new Span(getTranslation("dns.selector", key[0]) + " — /.well-known/essaim/dkim-retired/" + key[0] + ".pem"), new Pre(key[1]));
        }
    }

    @Override
    public String titleKey() {
        return "title.dns";
    }
}
