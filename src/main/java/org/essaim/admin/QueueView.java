package org.essaim.admin;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

import org.essaim.accounts.AccountRoles;
import org.essaim.delivery.outbound.WaitingMail;
import org.essaim.i18n.TranslatedTitle;
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
import com.vaadin.flow.router.Route;
import com.vaadin.flow.spring.security.AuthenticationContext;

import jakarta.annotation.security.RolesAllowed;

/**
 * Mail waiting for other servers (issue 13): how many, the oldest, the next attempt, and one line per message with
 * metadata only (sender, recipients' domains, size, attempts, the remote server's last words; never a subject).
 * Admins can have a message tried again now, or delete it: deleting is a signed admin action in the public log
 * ({@link AdminAction.DeleteWaitingMail}); retrying changes nothing but the time of the next attempt. Spectators read.
 * Below, the incoming spool: how many messages it holds (being processed or waiting to be) and, metadata only, those
 * not taken by a processing thread, so stuck mail shows.
 */
@Route(value = "admin/queue", layout = MainLayout.class)
@RolesAllowed({AccountRoles.ADMIN, AccountRoles.SPECTATOR})
public class QueueView extends VerticalLayout implements TranslatedTitle {
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private final MailServerBridge mailServer;
    private final ActionSigner signer;
    private final Span count = figure("queue-count");
    private final Span oldest = figure("queue-oldest");
    private final Span next = figure("queue-next");
    private final Paragraph message = new Paragraph();
    private final Grid<WaitingMail> waiting = new Grid<>();
    private final Paragraph spool = new Paragraph();
    private final Grid<WaitingMail> spooled = new Grid<>();

    public QueueView(MailServerBridge mailServer, SignedActions signedActions, PublicKeyDirectory keys,
                     AccountRoles roles, AuthenticationContext authentication) {
        this.mailServer = mailServer;
        String actor = authentication.getPrincipalName().orElseThrow();
        this.signer = roles.isAdmin(actor) ? new ActionSigner(actor, signedActions, keys) : null;
        setWidthFull();
        H2 title = new H2(getTranslation("title.queue"));
        title.getStyle().set("margin", "0");
        Button refresh = new Button(getTranslation("storage.refresh"), click -> load());
        refresh.setId("queue-refresh");
        HorizontalLayout header = new HorizontalLayout(title, refresh);
        header.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        message.setId("queue-message");
        message.setVisible(false);
        Paragraph summary = new Paragraph(count, new Span(getTranslation("queue.waitingSince")), oldest,
                new Span(getTranslation("queue.nextAttempt")), next, new Span("."));
        summary.setId("queue-summary");
        Paragraph hint = new Paragraph(getTranslation("queue.explained"));
        hint.getStyle().set("color", "var(--lumo-secondary-text-color)");
        configureGrid();
        add(header);
        if (signer == null) {
            add(ReadOnlyNotice.forSpectator());
        } else {
            add(signer);
        }
        spool.setId("queue-spool");
        configureSpoolGrid();
        add(summary, hint, message, waiting, spool, spooled);
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
                .map(this::when).orElse(all.isEmpty() ? "—" : getTranslation("queue.now")));
        waiting.setItems(all);
        loadSpool(all.size());
    }

    /**
     * The other queue: mail that arrived and waits for (or is in) processing — checks, encryption, storing, or the hand
     * over to the outgoing queue. Normally empty within seconds; mail that stays here is stuck. Counts include what a
     * processing thread holds right now, which no listing shows.
     */
    private void loadSpool(int listedOutgoing) {
        MailServerBridge.QueueCounts counts;
        List<WaitingMail> inSpool;
        try {
            counts = mailServer.queueCounts();
            inSpool = mailServer.spooledMail();
        } catch (MailServerException e) {
            showProblem(e.getMessage());
            return;
        }
        spool.setText(getTranslation("queue.spool", counts.spool(), Math.max(0, counts.outgoing() - listedOutgoing)));
        spooled.setItems(inSpool);
        spooled.setVisible(!inSpool.isEmpty());
    }

    private void configureSpoolGrid() {
        spooled.setId("queue-spool-grid");
        spooled.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_COMPACT);
        spooled.setWidthFull();
        spooled.setAllRowsVisible(true);
        spooled.addColumn(mail -> mail.sender().isEmpty() ? getTranslation("queue.fromServer") : mail.sender())
                .setHeader(getTranslation("queue.column.from")).setKey("sender").setAutoWidth(true);
        spooled.addColumn(mail -> String.join(", ", mail.recipientDomains())
                        + (mail.recipients() > 1 ? getTranslation("queue.recipients", mail.recipients()) : ""))
                .setHeader(getTranslation("queue.column.to")).setKey("domains").setAutoWidth(true);
        spooled.addColumn(mail -> MessageSizes.human(mail.sizeBytes())).setHeader(getTranslation("queue.column.size"))
                .setKey("size").setAutoWidth(true).setFlexGrow(0);
        spooled.setClassNameGenerator(mail -> "spooled");
    }

    private void configureGrid() {
        waiting.setId("queue-grid");
        waiting.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_COMPACT, GridVariant.LUMO_WRAP_CELL_CONTENT);
        waiting.setWidthFull();
        waiting.setAllRowsVisible(true);
        waiting.addColumn(mail -> mail.waitingSince().map(TIME::format).orElse("")).setHeader(getTranslation("queue.column.since"))
                .setKey("since").setAutoWidth(true).setFlexGrow(0);
        waiting.addColumn(mail -> mail.sender().isEmpty() ? getTranslation("queue.fromServer") : mail.sender())
                .setHeader(getTranslation("queue.column.from")).setKey("sender").setAutoWidth(true);
        waiting.addColumn(mail -> String.join(", ", mail.recipientDomains())
                        + (mail.recipients() > 1 ? getTranslation("queue.recipients", mail.recipients()) : ""))
                .setHeader(getTranslation("queue.column.to")).setKey("domains").setAutoWidth(true);
        waiting.addColumn(mail -> MessageSizes.human(mail.sizeBytes())).setHeader(getTranslation("queue.column.size")).setKey("size")
                .setAutoWidth(true).setFlexGrow(0);
        waiting.addColumn(WaitingMail::attempts).setHeader(getTranslation("queue.column.attempts")).setKey("attempts").setAutoWidth(true).setFlexGrow(0);
        waiting.addColumn(mail -> mail.nextAttempt().map(this::when).orElse(getTranslation("queue.now"))).setHeader(getTranslation("queue.column.next"))
                .setKey("next").setAutoWidth(true).setFlexGrow(0);
        waiting.addColumn(mail -> mail.lastError().orElse("")).setHeader(getTranslation("queue.column.error")).setKey("error").setFlexGrow(2);
        if (signer != null) {
            waiting.addComponentColumn(this::actions).setHeader("").setKey("actions").setAutoWidth(true).setFlexGrow(0);
        }
        waiting.setClassNameGenerator(mail -> "waiting");
    }

    private HorizontalLayout actions(WaitingMail mail) {
        Button retry = new Button(getTranslation("queue.retry"), click -> retry(mail));
        retry.addClassName("queue-retry");
        retry.getElement().setAttribute("data-mail", mail.name());
        Button delete = new Button(getTranslation("accounts.delete"), click -> confirmDelete(mail));
        delete.addClassName("queue-delete");
        delete.getElement().setAttribute("data-mail", mail.name());
        delete.addThemeVariants(ButtonVariant.LUMO_ERROR);
        return new HorizontalLayout(retry, delete);
    }

    private void retry(WaitingMail mail) {
        try {
            if (mailServer.retryWaitingMail(mail.name())) {
                showDone(getTranslation("queue.retried"));
            } else {
                showProblem(getTranslation("queue.gone"));
            }
        } catch (MailServerException e) {
            showProblem(e.getMessage());
        }
        load();
    }

    private void confirmDelete(WaitingMail mail) {
        ConfirmDialog dialog = new ConfirmDialog();
        dialog.setHeader(getTranslation("queue.deleteQuestion"));
        dialog.setText(getTranslation("queue.deleteExplained"));
        dialog.setCancelable(true);
        dialog.setConfirmText(getTranslation("accounts.delete"));
        dialog.setCancelText(getTranslation("accounts.keepIt"));
        dialog.setConfirmButtonTheme("error primary");
        dialog.addConfirmListener(confirmed -> signer.perform(new AdminAction.DeleteWaitingMail(mail.name()), accepted -> {
            showDone(getTranslation("queue.deleted"));
            load();
        }, this::showProblem));
        dialog.open();
    }

    /** A future time as "in 3 min (12:00:00 UTC)"; a past one as now. */
    private String when(Instant at) {
        Duration left = Duration.between(Instant.now(), at);
        if (left.isNegative() || left.isZero()) {
            return getTranslation("queue.now");
        }
        return left.toMinutes() >= 1 ? getTranslation("queue.inMinutes", left.toMinutes(), TIME.format(at))
                : getTranslation("queue.inSeconds", left.toSeconds(), TIME.format(at));
    }

    @Override
    public String titleKey() {
        return "title.queue";
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
