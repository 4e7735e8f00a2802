package org.essaim.admin;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

import org.essaim.accounts.AccountRoles;
import org.essaim.delivery.outbound.WaitingMail;
import org.essaim.keys.PublicKeyDirectory;
import org.essaim.mailserver.MailServerBridge;
import org.essaim.mailserver.MailServerException;
import org.essaim.webmail.MainLayout;
import org.essaim.webmail.MessageSizes;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.spring.security.AuthenticationContext;

import jakarta.annotation.security.RolesAllowed;

/**
 * Mail waiting for other servers (issue 13): how many, the oldest, the next attempt, and one line per message with
 * metadata only (sender, recipients' domains, size, attempts, the remote server's last words; never a subject).
 * Admins can have a message tried again now, or delete it: deleting is a signed admin action in the public log
 * ({@link AdminAction.DeleteWaitingMail}); retrying changes nothing but the time of the next attempt. Spectators read.
 */
@Route(value = "admin/queue", layout = MainLayout.class)
@PageTitle("Mail queue · Essaim")
@RolesAllowed({AccountRoles.ADMIN, AccountRoles.SPECTATOR})
public class QueueView extends VerticalLayout {
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private final MailServerBridge mailServer;
    private final ActionSigner signer;
    private final Span count = figure("queue-count");
    private final Span oldest = figure("queue-oldest");
    private final Span next = figure("queue-next");
    private final Paragraph message = new Paragraph();
    private final Grid<WaitingMail> waiting = new Grid<>();

    public QueueView(MailServerBridge mailServer, SignedActions signedActions, PublicKeyDirectory keys,
                     AccountRoles roles, AuthenticationContext authentication) {
        this.mailServer = mailServer;
        String actor = authentication.getPrincipalName().orElseThrow();
        this.signer = roles.isAdmin(actor) ? new ActionSigner(actor, signedActions, keys) : null;
        setWidthFull();
        H2 title = new H2("Mail queue");
        title.getStyle().set("margin", "0");
        Button refresh = new Button("Refresh", click -> load());
        refresh.setId("queue-refresh");
        HorizontalLayout header = new HorizontalLayout(title, refresh);
        header.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        message.setId("queue-message");
        message.setVisible(false);
        Paragraph summary = new Paragraph(count, new Span(" waiting for other servers; oldest since "), oldest,
                new Span("; next attempt "), next, new Span("."));
        summary.setId("queue-summary");
        Paragraph hint = new Paragraph("Mail waits here when another server does not take it yet; it is tried again, "
                + "less often as time goes on, and returned to its sender when it still fails after essaim.delivery.max-days. "
                + "Its content is sealed or encrypted: only its envelope is shown.");
        hint.getStyle().set("color", "var(--lumo-secondary-text-color)");
        configureGrid();
        add(header);
        if (signer == null) {
            add(ReadOnlyNotice.forSpectator());
        } else {
            add(signer);
        }
        add(summary, hint, message, waiting);
        load();
    }

    private void load() {
        List<WaitingMail> all;
        try {
            all = mailServer.waitingMail();
        } catch (MailServerException e) {
            showProblem(e.getMessage());
            return;
        }
        count.setText(Integer.toString(all.size()));
        oldest.setText(all.stream().map(WaitingMail::waitingSince).flatMap(Optional::stream).min(Instant::compareTo)
                .map(TIME::format).orElse("—"));
        next.setText(all.stream().map(WaitingMail::nextAttempt).flatMap(Optional::stream).min(Instant::compareTo)
                .map(QueueView::when).orElse(all.isEmpty() ? "—" : "now"));
        waiting.setItems(all);
    }

    private void configureGrid() {
        waiting.setId("queue-grid");
        waiting.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_COMPACT, GridVariant.LUMO_WRAP_CELL_CONTENT);
        waiting.setWidthFull();
        waiting.setAllRowsVisible(true);
        waiting.addColumn(mail -> mail.waitingSince().map(TIME::format).orElse("")).setHeader("Waiting since")
                .setKey("since").setAutoWidth(true).setFlexGrow(0);
        waiting.addColumn(mail -> mail.sender().isEmpty() ? "(the server: a report)" : mail.sender())
                .setHeader("From").setKey("sender").setAutoWidth(true);
        waiting.addColumn(mail -> String.join(", ", mail.recipientDomains())
                        + (mail.recipients() > 1 ? " (" + mail.recipients() + " recipients)" : ""))
                .setHeader("To (domains)").setKey("domains").setAutoWidth(true);
        waiting.addColumn(mail -> MessageSizes.human(mail.sizeBytes())).setHeader("Size").setKey("size")
                .setAutoWidth(true).setFlexGrow(0);
        waiting.addColumn(WaitingMail::attempts).setHeader("Attempts").setKey("attempts").setAutoWidth(true).setFlexGrow(0);
        waiting.addColumn(mail -> mail.nextAttempt().map(QueueView::when).orElse("now")).setHeader("Next attempt")
                .setKey("next").setAutoWidth(true).setFlexGrow(0);
        waiting.addColumn(mail -> mail.lastError().orElse("")).setHeader("Last answer").setKey("error").setFlexGrow(2);
        if (signer != null) {
            waiting.addComponentColumn(this::actions).setHeader("").setKey("actions").setAutoWidth(true).setFlexGrow(0);
        }
        waiting.setClassNameGenerator(mail -> "waiting");
    }

    private HorizontalLayout actions(WaitingMail mail) {
        Button retry = new Button("Retry now", click -> retry(mail));
        retry.addClassName("queue-retry");
        retry.getElement().setAttribute("data-mail", mail.name());
        Button delete = new Button("Delete", click -> confirmDelete(mail));
        delete.addClassName("queue-delete");
        delete.getElement().setAttribute("data-mail", mail.name());
        delete.addThemeVariants(ButtonVariant.LUMO_ERROR);
        return new HorizontalLayout(retry, delete);
    }

    private void retry(WaitingMail mail) {
        try {
            if (mailServer.retryWaitingMail(mail.name())) {
                showDone("Being tried again now.");
            } else {
                showProblem("That message no longer waits (delivered, deleted, or being tried right now).");
            }
        } catch (MailServerException e) {
            showProblem(e.getMessage());
        }
        load();
    }

    private void confirmDelete(WaitingMail mail) {
        ConfirmDialog dialog = new ConfirmDialog();
        dialog.setHeader("Delete this waiting message?");
        dialog.setText("It will not be delivered, and its sender is not told. The deletion is signed with your key "
                + "and written to the public log (the message's queue id only).");
        dialog.setCancelable(true);
        dialog.setConfirmText("Delete");
        dialog.setConfirmButtonTheme("error primary");
        dialog.addConfirmListener(confirmed -> signer.perform(new AdminAction.DeleteWaitingMail(mail.name()), accepted -> {
            showDone("Deleted.");
            load();
        }, this::showProblem));
        dialog.open();
    }

    /** A future time as "in 3 min (12:00:00 UTC)"; a past one as now. */
    static String when(Instant at) {
        Duration left = Duration.between(Instant.now(), at);
        if (left.isNegative() || left.isZero()) {
            return "now";
        }
        String in = left.toMinutes() >= 1 ? left.toMinutes() + " min" : left.toSeconds() + " s";
        return "in " + in + " (" + TIME.format(at) + ")";
    }

    private void showProblem(String text) {
        message.setText(text);
        message.getStyle().set("color", "var(--lumo-error-text-color)");
        message.setVisible(true);
    }

    private void showDone(String text) {
        message.setText(text);
        message.getStyle().set("color", "var(--lumo-success-text-color)");
        message.setVisible(true);
    }

    private static Span figure(String id) {
        Span figure = new Span();
        figure.setId(id);
        figure.getStyle().set("font-weight", "600");
        return figure;
    }
}
