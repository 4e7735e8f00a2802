package org.essaim.internet;

import org.essaim.accounts.AccountRoles;
import org.essaim.webmail.MainLayout;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;

import jakarta.annotation.security.RolesAllowed;

/**
 * Every DNS record the domain needs, each with what DNS answers now (✔ / missing / different), for admins and
 * spectators. The same list as {@code java -jar essaim.jar dns}.
 */
@Route(value = "admin/dns", layout = MainLayout.class)
@PageTitle("DNS · Essaim")
@RolesAllowed({AccountRoles.ADMIN, AccountRoles.SPECTATOR})
public class DnsView extends VerticalLayout {
    static final String INTRO = "These records make other servers trust this one and let mail clients set themselves "
            + "up. \"missing\": add it at your DNS provider; \"different\": the name holds another value.";

    private final DomainSetup domain;
    private final Grid<CheckedRecord> records = new Grid<>();

    public DnsView(DomainSetup domain) {
        this.domain = domain;
        setId("dns-view");
        records.setId("dns-records");
        records.addColumn(record -> record.state().label()).setHeader("Now").setAutoWidth(true).setFlexGrow(0)
                .setClassNameGenerator(record -> "dns-" + record.state().name().toLowerCase());
        records.addColumn(record -> record.expected().name()).setHeader("Name").setAutoWidth(true);
        records.addColumn(record -> record.expected().type()).setHeader("Type").setAutoWidth(true).setFlexGrow(0);
        records.addColumn(record -> record.expected().value()).setHeader("Value").setFlexGrow(3);
        records.addColumn(record -> String.join(" | ", record.found())).setHeader("DNS answers").setFlexGrow(2);
        records.addColumn(record -> record.expected().why()).setHeader("Why").setFlexGrow(2);
        records.setAllRowsVisible(true);
        Button recheck = new Button("Check again", click -> refresh());
        add(new H2("DNS records for " + domain.setup().domain()), new Paragraph(INTRO), recheck, records);
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
        add(new H2("Retired DKIM keys (published)"), new Paragraph("These keys no longer sign anything. Their private "
                + "halves are public so that signatures on old mail prove nothing (essaim.dkim.publish-retired-keys)."));
        for (String[] key : published) {
            add(new Span("Selector " + key[0] + " — /.well-known/essaim/dkim-retired/" + key[0] + ".pem"), new Pre(key[1]));
        }
    }
}
