package org.essaim.spam;

import java.util.List;

import org.essaim.accounts.AccountRoles;
import org.essaim.i18n.TranslatedTitle;
import org.essaim.webmail.MainLayout;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Route;

import jakarta.annotation.security.RolesAllowed;

/**
 * What the spam filter did, for admins and spectators: the engine and thresholds in use, messages refused, junked and
 * delivered per day, and the rules that scored most often. Counts only ({@link SpamStatistics}): no sender, no
 * recipient, no subject, nothing of any message.
 */
@Route(value = "admin/spam", layout = MainLayout.class)
@RolesAllowed({AccountRoles.ADMIN, AccountRoles.SPECTATOR}) // no actions: spectators may read it
public class SpamAdminView extends VerticalLayout implements TranslatedTitle {
    static final int DAYS = 14;
    static final int TOP_REASONS = 10;

    private final SpamStatistics statistics;
    private final Paragraph today = new Paragraph();
    private final Paragraph shared = new Paragraph();
    private final Grid<SpamStatistics.Day> days = new Grid<>();
    private final Grid<SpamStatistics.ReasonCount> reasons = new Grid<>();

    public SpamAdminView(SpamSettings settings, SpamCheck check, ServerModel model, SpamStatistics statistics) {
        this.statistics = statistics;
        setId("spam-view");
        setWidthFull();
        String blocklists = settings.dnsbl().isEmpty() ? getTranslation("spam.admin.none") : String.join(", ", settings.dnsbl());
        Paragraph engine = new Paragraph(getTranslation("spam.admin.engine", check.engine()
                + (settings.off() ? "" : "; " + model.source()), number(settings.rejectScore()),
                number(settings.junkScore()), blocklists));
        engine.setId("spam-engine");
        today.setId("spam-today");
        shared.setId("spam-shared");
        today.getStyle().set("font-weight", "600");
        days.setId("spam-days");
        days.addColumn(day -> day.day().toString()).setHeader(getTranslation("spam.admin.day")).setAutoWidth(true);
        days.addColumn(SpamStatistics.Day::refused).setHeader(getTranslation("spam.admin.refused"))
                .setTextAlign(ColumnTextAlign.END);
        days.addColumn(SpamStatistics.Day::junked).setHeader(getTranslation("spam.admin.junked"))
                .setTextAlign(ColumnTextAlign.END);
        days.addColumn(SpamStatistics.Day::delivered).setHeader(getTranslation("spam.admin.delivered"))
                .setTextAlign(ColumnTextAlign.END);
        days.setAllRowsVisible(true);
        reasons.setId("spam-reasons");
        reasons.addColumn(SpamStatistics.ReasonCount::reason).setHeader(getTranslation("spam.admin.rule")).setAutoWidth(true);
        reasons.addColumn(SpamStatistics.ReasonCount::messages).setHeader(getTranslation("spam.admin.ruleMessages"))
                .setTextAlign(ColumnTextAlign.END);
        reasons.setAllRowsVisible(true);
        Button refresh = new Button(getTranslation("spam.admin.refresh"), click -> load());
        refresh.setId("spam-refresh");
        add(new H2(getTranslation("spam.admin.heading")), new Paragraph(getTranslation("spam.admin.intro")), engine,
                refresh, today, shared, new H3(getTranslation("spam.admin.lastDays", DAYS)), days,
                new H3(getTranslation("spam.admin.topRules", DAYS)), reasons);
        load();
    }

    @Override
    public String titleKey() {
        return "title.spam";
    }

    private void load() {
        List<SpamStatistics.Day> counts = statistics.days(DAYS);
        SpamStatistics.Day latest = counts.get(0);
        today.setText(getTranslation("spam.admin.today", latest.refused(), latest.junked(), latest.delivered()));
        shared.setText(getTranslation("spam.admin.shared", statistics.shared(1), statistics.shared(DAYS), DAYS));
        days.setItems(counts);
        reasons.setItems(statistics.topReasons(DAYS, TOP_REASONS));
    }

    private static String number(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}
