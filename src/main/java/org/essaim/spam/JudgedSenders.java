package org.essaim.spam;

import java.time.format.DateTimeFormatter;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;

/**
 * "Senders you judged", for the member's own account page: what the server keeps of their Spam / Not spam moves (the
 * sender address or DKIM domain, the votes, the last date), forgotten after {@value SenderReputation#KEEP_DAYS} days,
 * deletable one by one or all at once.
 */
public class JudgedSenders extends VerticalLayout {
    private final SenderReputation reputation;
    private final String account;
    private final Grid<SenderReputation.Entry> senders = new Grid<>();
    private final Paragraph none = new Paragraph();
    private final Button forgetAll = new Button();

    public JudgedSenders(SenderReputation reputation, String account) {
        this.reputation = reputation;
        this.account = account;
        setPadding(false);
        setId("judged-senders");
        Paragraph intro = new Paragraph(getTranslation("spam.judged.intro", SenderReputation.KEEP_DAYS));
        none.setText(getTranslation("spam.judged.none"));
        none.setId("judged-senders-none");
        senders.setId("judged-senders-grid");
        senders.addColumn(entry -> entry.label() + (entry.isDomain() ? " (DKIM)" : "")).setHeader(getTranslation("spam.judged.sender")).setAutoWidth(true);
        senders.addColumn(entry -> entry.spamVotes() > entry.hamVotes() ? getTranslation("spam.judged.spam")
                : getTranslation("spam.judged.notSpam")).setHeader(getTranslation("spam.judged.verdict")).setAutoWidth(true);
        senders.addColumn(entry -> entry.updatedAt().format(DateTimeFormatter.ISO_LOCAL_DATE))
                .setHeader(getTranslation("spam.judged.last")).setAutoWidth(true);
        senders.addComponentColumn(entry -> {
            Button forget = new Button(getTranslation("spam.judged.forget"), click -> {
                reputation.delete(account, entry.sender());
                load();
            });
            forget.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
            forget.getElement().setAttribute("data-sender", entry.label());
            return forget;
        });
        senders.setAllRowsVisible(true);
        forgetAll.setText(getTranslation("spam.judged.forgetAll"));
        forgetAll.setId("forget-judged-senders");
        forgetAll.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_ERROR);
        forgetAll.addClickListener(click -> {
            reputation.deleteAll(account);
            load();
        });
        add(intro, none, senders, forgetAll);
        load();
    }

    private void load() {
        var entries = reputation.entries(account);
        senders.setItems(entries);
        senders.setVisible(!entries.isEmpty());
        forgetAll.setVisible(!entries.isEmpty());
        none.setVisible(entries.isEmpty());
    }
}
