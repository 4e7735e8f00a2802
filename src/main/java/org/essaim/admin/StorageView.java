package org.essaim.admin;

import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.Locale;

import org.essaim.accounts.AccountRoles;
import org.essaim.delivery.StorageFloor;
import org.essaim.i18n.TranslatedTitle;
import org.essaim.webmail.MainLayout;
import org.essaim.webmail.MessageSizes;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridSortOrder;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.component.progressbar.ProgressBarVariant;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.provider.ListDataProvider;
import com.vaadin.flow.data.renderer.LitRenderer;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.spring.security.AuthenticationContext;

import jakarta.annotation.security.RolesAllowed;

/**
 * Storage at a glance, for admins and spectators only (refused to members by Vaadin's navigation access control and
 * by the web security chain): the data directory's disk, the mail queue, how the server grew, and one line per
 * account. Sizes only: admins never see content (it is ciphertext anyway).
 */
@Route(value = "admin/storage", layout = MainLayout.class)
@RolesAllowed({AccountRoles.ADMIN, AccountRoles.SPECTATOR}) // spectators read it: it has no actions
public class StorageView extends VerticalLayout implements TranslatedTitle {
    /** Above this share of its quota an account is shown as nearly full. */
    static final double NEARLY_FULL = 0.9;

    private final StorageReport report;
    private final StorageSamples samples;
    private final Span diskUsed = figure("disk-used");
    private final Span diskFree = figure("disk-free");
    private final ProgressBar diskBar = new ProgressBar();
    private final Span accountsUsed = figure("accounts-used");
    private final Span accountCount = figure("account-count");
    private final Span queueSize = figure("queue-size");
    private final GrowthChart growth = new GrowthChart();
    private final TextField filter = new TextField();
    private final Grid<StorageReport.AccountStorage> accounts = new Grid<>();
    private final StorageFloor floor;
    private final Div floorNotice = new Div();

    public StorageView(StorageReport report, StorageSamples samples, AccountRoles roles,
                       AuthenticationContext authentication, StorageFloor floor, java.util.List<StoragePagePart> parts) {
        this.report = report;
        this.samples = samples;
        this.floor = floor;
        floorNotice.setId("storage-floor");
        floorNotice.getStyle().set("color", "var(--lumo-error-text-color)").set("font-weight", "600");
        setWidthFull();
        H2 title = new H2(getTranslation("title.storage"));
        title.getStyle().set("margin", "0");
        Button refresh = new Button(getTranslation("storage.refresh"), click -> load());
        HorizontalLayout header = new HorizontalLayout(title, refresh);
        header.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);

        diskBar.setId("disk-bar");
        diskBar.setWidth("16rem");
        HorizontalLayout figures = new HorizontalLayout(
                card(getTranslation("storage.disk"), diskUsed, new Span(getTranslation("storage.diskUsed")), diskFree,
                        new Span(getTranslation("storage.diskFree")), diskBar),
                card(getTranslation("storage.mail"), accountsUsed, new Span(getTranslation("storage.mailIn")), accountCount,
                        new Span(getTranslation("storage.mailAccounts"))),
                card(getTranslation("storage.queue"), queueSize, new Span(getTranslation("storage.queueWaiting")), new Span(" "),
                        queueLink()));
        figures.setWrap(true);

        growth.setId("growth-chart");
        growth.setWidthFull();
        growth.setHeight("14rem");

        filter.setId("account-filter");
        filter.setPlaceholder(getTranslation("accounts.filter"));
        filter.setClearButtonVisible(true);
        filter.setValueChangeMode(ValueChangeMode.LAZY);
        filter.addValueChangeListener(change -> applyFilter());
        configureGrid();

        add(header, floorNotice);
        if (!authentication.getPrincipalName().map(roles::isAdmin).orElse(false)) {
            add(ReadOnlyNotice.forSpectator());
        }
        add(figures);
        parts.forEach(part -> add(part.create()));
        add(new H3(getTranslation("storage.growth")), growth, new H3(getTranslation("title.accounts")), filter, accounts);
        load();
    }

    private void load() {
        StorageReport.Overview overview = report.overview();
        StorageReport.Disk disk = overview.disk();
        diskUsed.setText(MessageSizes.human(disk.usedBytes(), getLocale()));
        diskFree.setText(MessageSizes.human(disk.freeBytes(), getLocale()));
        diskBar.setValue(disk.totalBytes() > 0 ? Math.min(1, (double) disk.usedBytes() / disk.totalBytes()) : 0);
        StorageFloor.State state = floor.state();
        floorNotice.setVisible(state != StorageFloor.State.OK);
        floorNotice.setText(getTranslation("storage.floor." + state.name(), MessageSizes.human(floor.minFreeBytes(), getLocale())));
        accountsUsed.setText(MessageSizes.human(overview.usedByAccounts(), getLocale()));
        accountCount.setText(Integer.toString(overview.accounts().size()));
        queueSize.setText(Long.toString(overview.queueSize()));
        growth.show(samples.all());
        accounts.setItems(new ListDataProvider<>(overview.accounts()));
        applyFilter();
    }

    private void applyFilter() {
        String wanted = filter.getValue().trim().toLowerCase(Locale.ROOT);
        ((ListDataProvider<StorageReport.AccountStorage>) accounts.getDataProvider())
                .setFilter(account -> wanted.isEmpty() || account.address().contains(wanted));
    }

    private void configureGrid() {
        accounts.setId("storage-accounts");
        accounts.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_COMPACT);
        accounts.setWidthFull();
        accounts.setHeight("32rem");
        // Lit renderers: cheap for a thousand rows; the data attributes carry the exact figures for scripts and tests.
        Grid.Column<StorageReport.AccountStorage> address = accounts.addColumn(StorageReport.AccountStorage::address)
                .setHeader(getTranslation("accounts.address")).setKey("address").setFlexGrow(3).setWidth("14rem").setComparator(StorageReport.AccountStorage::address);
        accounts.addColumn(LitRenderer.<StorageReport.AccountStorage>of(
                        "<span class='used' data-address='${item.address}' data-bytes='${item.bytes}'>${item.human}</span>")
                        .withProperty("address", StorageReport.AccountStorage::address)
                        .withProperty("bytes", StorageReport.AccountStorage::usedBytes)
                        .withProperty("human", a -> MessageSizes.human(a.usedBytes(), getLocale())))
                .setHeader(getTranslation("storage.used")).setKey("used").setWidth("5.5rem").setFlexGrow(0).setTextAlign(ColumnTextAlign.END)
                .setComparator(Comparator.comparingLong(StorageReport.AccountStorage::usedBytes));
        accounts.addColumn(LitRenderer.<StorageReport.AccountStorage>of(
                        "<span class='quota' data-address='${item.address}' data-bytes='${item.bytes}'>${item.human}</span>")
                        .withProperty("address", StorageReport.AccountStorage::address)
                        .withProperty("bytes", a -> a.limitBytes() == null ? "" : a.limitBytes().toString())
                        .withProperty("human", a -> a.limitBytes() == null ? getTranslation("storage.unlimited") : MessageSizes.human(a.limitBytes(), getLocale())))
                .setHeader(getTranslation("accounts.quota")).setKey("quota").setWidth("5.5rem").setFlexGrow(0).setTextAlign(ColumnTextAlign.END)
                .setComparator(Comparator.comparingLong(a -> a.limitBytes() == null ? Long.MAX_VALUE : a.limitBytes()));
        accounts.addColumn(LitRenderer.<StorageReport.AccountStorage>of(
                        "<div style='display:flex;align-items:center;gap:var(--lumo-space-s)'>"
                                + "<vaadin-progress-bar style='width:4.5rem;margin:0' value='${item.value}' theme='${item.theme}'></vaadin-progress-bar>"
                                + "<span>${item.percent}</span></div>")
                        .withProperty("value", a -> Math.min(1, a.ratio()))
                        .withProperty("theme", a -> a.ratio() > NEARLY_FULL ? ProgressBarVariant.LUMO_ERROR.getVariantName() : "")
                        .withProperty("percent", a -> a.limitBytes() == null ? "" : percent(a.ratio())))
                .setHeader(getTranslation("storage.usage")).setKey("usage").setWidth("8.5rem").setFlexGrow(0)
                .setComparator(Comparator.comparingDouble(StorageReport.AccountStorage::ratio));
        accounts.addColumn(LitRenderer.<StorageReport.AccountStorage>of(
                        "<span class='messages' data-address='${item.address}'>${item.count}</span>")
                        .withProperty("address", StorageReport.AccountStorage::address)
                        .withProperty("count", StorageReport.AccountStorage::messageCount))
                .setHeader(getTranslation("storage.messages")).setKey("messages").setWidth("6.5rem").setFlexGrow(0).setTextAlign(ColumnTextAlign.END)
                .setComparator(Comparator.comparingLong(StorageReport.AccountStorage::messageCount));
        accounts.addColumn(a -> getTranslation(a.keyPublished() ? "storage.keyPublished" : "storage.keyNone"))
                .setHeader(getTranslation("storage.key")).setKey("key").setWidth("6.5rem").setFlexGrow(0)
                .setComparator(Comparator.comparing(StorageReport.AccountStorage::keyPublished));
        accounts.addColumn(a -> a.lastLogin() == null ? getTranslation("storage.never") : DateTimeFormatter.ISO_LOCAL_DATE.format(a.lastLogin()))
                .setHeader(getTranslation("storage.lastLogin")).setKey("last-login").setWidth("7rem").setFlexGrow(0)
                .setComparator(Comparator.comparing(StorageReport.AccountStorage::lastLogin, Comparator.nullsFirst(Comparator.naturalOrder())));
        accounts.addColumn(a -> getTranslation(statusKey(a)))
                .setHeader(getTranslation("accounts.status")).setKey("status").setWidth("5.5rem").setFlexGrow(0)
                .setComparator(StorageView::statusKey);
        accounts.sort(GridSortOrder.asc(address).build());
    }

    /** Whole percents, except that a little is not shown as nothing. */
    static String percent(double ratio) {
        return ratio > 0 && ratio < 0.01 ? "< 1 %" : String.format(Locale.ROOT, "%.0f %%", ratio * 100);
    }

    private static String statusKey(StorageReport.AccountStorage account) {
        return new AccountsView.AccountRow(account.address(), account.admin(), account.disabled()).statusKey();
    }

    private com.vaadin.flow.router.RouterLink queueLink() {
        com.vaadin.flow.router.RouterLink link = new com.vaadin.flow.router.RouterLink(getTranslation("storage.queueLink"), QueueView.class);
        link.setId("queue-link");
        return link;
    }

    private static Span figure(String id) {
        Span figure = new Span();
        figure.setId(id);
        figure.getStyle().set("font-weight", "600");
        return figure;
    }

    private static Div card(String label, com.vaadin.flow.component.Component... content) {
        Div caption = new Div(label);
        caption.getStyle().set("color", "var(--lumo-secondary-text-color)").set("font-size", "var(--lumo-font-size-s)");
        Div body = new Div(content);
        Div card = new Div(caption, body);
        card.getStyle().set("padding", "var(--lumo-space-s) var(--lumo-space-m)")
                .set("border", "1px solid var(--lumo-contrast-10pct)").set("border-radius", "var(--lumo-border-radius-m)");
        return card;
    }

    @Override
    public String titleKey() {
        return "title.storage";
    }
}
