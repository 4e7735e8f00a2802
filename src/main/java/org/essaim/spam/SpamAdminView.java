package org.essaim.spam;

import java.util.List;
import java.util.Locale;

import org.essaim.accounts.AccountRoles;
import org.essaim.webmail.MainLayout;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;

import jakarta.annotation.security.RolesAllowed;

/**
 * What the spam filter did, for admins and spectators: the engine and thresholds in use, messages refused, junked and
 * delivered per day, and the rules that scored most often. Counts only ({@link SpamStatistics}): no sender, no
 * recipient, no subject, nothing of any message.
 */
@Route(value = "admin/spam", layout = MainLayout.class)
@PageTitle("Spam · Essaim")
@RolesAllowed({AccountRoles.ADMIN, AccountRoles.SPECTATOR}) // no actions: spectators may read it
public class SpamAdminView extends VerticalLayout {
    static final int DAYS = 14;
    static final int TOP_REASONS = 10;
    static final String INTRO = "Every incoming message is judged in the SMTP session, before it is encrypted. "
            + "These are counts only: the server keeps nothing of the messages it judged.";

    private final SpamStatistics statistics;
    private final Paragraph engine = new Paragraph();
    private final Paragraph today = new Paragraph();
    private final Grid<SpamStatistics.Day> days = new Grid<>();
    private final Grid<SpamStatistics.ReasonCount> reasons = new Grid<>();

    public SpamAdminView(SpamSettings settings, SpamCheck check, ServerModel model, SpamStatistics statistics) {
        this.statistics = statistics;
        setId("spam-view");
        setWidthFull();
        engine.setId("spam-engine");
        engine.setText(describe(settings, check, model));
        today.setId("spam-today");
        today.getStyle().set("font-weight", "600");
        days.setId("spam-days");
        days.addColumn(day -> day.day().toString()).setHeader("Day").setAutoWidth(true);
        days.addColumn(SpamStatistics.Day::refused).setHeader("Refused").setTextAlign(ColumnTextAlign.END);
        days.addColumn(SpamStatistics.Day::junked).setHeader("Filed in Spam").setTextAlign(ColumnTextAlign.END);
        days.addColumn(SpamStatistics.Day::delivered).setHeader("Delivered to the Inbox").setTextAlign(ColumnTextAlign.END);
        days.setAllRowsVisible(true);
        reasons.setId("spam-reasons");
        reasons.addColumn(SpamStatistics.ReasonCount::reason).setHeader("Rule").setAutoWidth(true);
        reasons.addColumn(SpamStatistics.ReasonCount::messages).setHeader("Refused or junked messages it scored on")
                .setTextAlign(ColumnTextAlign.END);
        reasons.setAllRowsVisible(true);
        Button refresh = new Button("Refresh", click -> load());
        refresh.setId("spam-refresh");
        add(new H2("Spam filter"), new Paragraph(INTRO), engine, refresh, today,
                new H3("The last " + DAYS + " days"), days,
                new H3("Top rules on refused and junked mail (" + DAYS + " days)"), reasons);
        load();
    }

    private void load() {
        List<SpamStatistics.Day> counts = statistics.days(DAYS);
        SpamStatistics.Day latest = counts.get(0);
        today.setText(String.format(Locale.ROOT, "Today: %d refused, %d filed in Spam, %d delivered to the Inbox.",
                latest.refused(), latest.junked(), latest.delivered()));
        days.setItems(counts);
        reasons.setItems(statistics.topReasons(DAYS, TOP_REASONS));
    }

    static String describe(SpamSettings settings, SpamCheck check, ServerModel model) {
        String engine = check.engine() + (settings.off() ? "" : "; model: " + model.source());
        String blocklists = settings.dnsbl().isEmpty() ? "none" : String.join(", ", settings.dnsbl());
        return String.format(Locale.ROOT, "Engine: %s. Refused at a score of %s or more, filed in Spam at %s or more. "
                        + "DNS blocklists: %s.", engine, number(settings.rejectScore()), number(settings.junkScore()),
                blocklists);
    }

    private static String number(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}
