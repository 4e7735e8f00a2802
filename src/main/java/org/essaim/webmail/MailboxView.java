package org.essaim.webmail;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteAlias;

import jakarta.annotation.security.PermitAll;

import org.essaim.keys.PublicKeyDirectory;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * A folder's message list (INBOX by default): sender, subject, date, size and flags, newest first, read
 * lazily over IMAP as the logged-in user. Encrypted bodies and subjects are shown by later features.
 */
@Route(value = "mail/:folder?", layout = MainLayout.class)
@RouteAlias(value = "", layout = MainLayout.class)
@PageTitle("Mail · Essaim")
@PermitAll
public class MailboxView extends VerticalLayout implements BeforeEnterObserver {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

    private final MailboxConnection mailbox;
    private final H2 title = new H2();
    private final Paragraph problem = new Paragraph();
    private final Grid<MessageSummary> messages = new Grid<>();
    private ZoneId zone = ZoneId.of("UTC");

    private final PublicKeyDirectory keys;
    private final KeyMissingNotice keyMissing = new KeyMissingNotice();

    public MailboxView(MailboxConnection mailbox, PublicKeyDirectory keys) {
        this.mailbox = mailbox;
        this.keys = keys;
        setSizeFull();
        title.getStyle().set("margin", "0");
        Button refresh = new Button("Refresh", click -> messages.getDataProvider().refreshAll());
        HorizontalLayout header = new HorizontalLayout(title, refresh);
        header.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        problem.setId("mailbox-problem");
        problem.setVisible(false);
        problem.getStyle().set("color", "var(--lumo-error-text-color)");
        configureGrid();
        add(header, keyMissing, problem, messages);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        String folder = event.getRouteParameters().get("folder").orElse(FolderNames.INBOX);
        title.setText(FolderNames.label(folder));
        problem.setVisible(false);
        keyMissing.refresh(keys, SecurityContextHolder.getContext().getAuthentication().getName());
        try {
            if (!mailbox.folderExists(folder)) {
                showProblem("There is no folder named \"" + folder + "\".");
                return;
            }
            messages.setVisible(true);
            messages.setItems(new MessageListDataProvider(mailbox, folder));
        } catch (MailboxUnavailableException e) {
            showProblem(e.getMessage());
        }
    }

    @Override
    protected void onAttach(AttachEvent event) {
        // Dates are shown in the browser's time zone once it is known.
        event.getUI().getPage().retrieveExtendedClientDetails(details -> {
            try {
                zone = ZoneId.of(details.getTimeZoneId());
                messages.getDataProvider().refreshAll();
            } catch (RuntimeException unknownZone) {
                // keep UTC
            }
        });
    }

    private void configureGrid() {
        messages.setId("messages");
        messages.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_COMPACT);
        messages.setSizeFull();
        messages.setPageSize(50);
        messages.addColumn(MessageSummary::sender).setHeader("From").setFlexGrow(2).setKey("sender");
        messages.addColumn(m -> m.subject() == null || m.subject().isBlank() ? "(no subject)" : m.subject())
                .setHeader("Subject").setFlexGrow(4).setKey("subject");
        messages.addColumn(m -> m.date() == null ? "" : DATE.format(m.date().atZone(zone)))
                .setHeader("Date").setAutoWidth(true).setFlexGrow(0).setKey("date");
        messages.addColumn(m -> MessageSizes.human(m.size())).setHeader("Size").setAutoWidth(true).setFlexGrow(0).setKey("size");
        messages.addColumn(MailboxView::flags).setHeader("Flags").setAutoWidth(true).setFlexGrow(0).setKey("flags");
        messages.setPartNameGenerator(m -> m.seen() ? null : "unread");
    }

    private static String flags(MessageSummary message) {
        List<String> flags = new ArrayList<>(2);
        if (!message.seen()) {
            flags.add("unread");
        }
        if (message.flagged()) {
            flags.add("★ flagged");
        }
        return String.join(", ", flags);
    }

    private void showProblem(String text) {
        problem.setText(text);
        problem.setVisible(true);
        messages.setVisible(false);
    }
}
