package org.essaim.governance;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Collectors;


import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.data.provider.DataProvider;

/**
 * The audit log, readable: who did what, when, signed with which key, and the open co-optation proposals with
 * who consented and who objected. Shown to members in the webmail frame ({@link AuditView}) and, when the
 * collective made the log public, to anyone ({@link PublicAuditView}); the same data is at GET /api/audit.
 */
class AuditLogPanel extends VerticalLayout {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    /** One entry as shown. */
    record Row(long seq, String time, String who, String action, String parameters, String signer, String hash) { }

    AuditLogPanel(AuditLog log, Cooptation cooptation) {
        setSizeFull();
        add(new H2(getTranslation("title.audit")));
        add(new Paragraph(getTranslation("audit.intro", log.headHash())));

        List<Cooptation.Proposal> proposals = cooptation.proposals();
        if (!proposals.isEmpty()) {
            add(new H3(getTranslation("cooptation.openProposals")));
            Grid<Cooptation.Proposal> open = new Grid<>();
            open.setId("proposals");
            open.addColumn(Cooptation.Proposal::address).setHeader(getTranslation("audit.account"));
            open.addColumn(p -> getTranslation("PROMOTION".equals(p.kind()) ? "audit.becomeAdmin" : "audit.stopBeingAdmin"))
                    .setHeader(getTranslation("audit.proposal"));
            open.addColumn(Cooptation.Proposal::proposedBy).setHeader(getTranslation("audit.proposedBy"));
            open.addColumn(p -> String.join(", ", p.consents())).setHeader(getTranslation("audit.consented"));
            open.addColumn(p -> String.join(", ", p.objections())).setHeader(getTranslation("audit.objected"));
            open.addColumn(p -> String.join(", ", p.missingConsents())).setHeader(getTranslation("audit.consentMissing"));
            open.addColumn(p -> TIME.format(p.promotableFrom())).setHeader(getTranslation("audit.notBefore"));
            open.setItems(proposals);
            open.setAllRowsVisible(true);
            add(open);
        }

        Grid<Row> entries = new Grid<>();
        entries.setId("audit-entries");
        entries.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_WRAP_CELL_CONTENT);
        entries.addColumn(Row::seq).setHeader("#").setAutoWidth(true).setFlexGrow(0);
        entries.addColumn(Row::time).setHeader(getTranslation("audit.time")).setAutoWidth(true).setFlexGrow(0);
        entries.addColumn(Row::who).setHeader(getTranslation("audit.by")).setAutoWidth(true);
        entries.addColumn(Row::action).setHeader(getTranslation("audit.action")).setAutoWidth(true);
        entries.addColumn(Row::parameters).setHeader(getTranslation("audit.parameters")).setWidth("24em").setFlexGrow(3);
        entries.addColumn(row -> row.signer().isEmpty() ? "" : "…" + row.signer().substring(Math.max(0, row.signer().length() - 16)))
                .setHeader(getTranslation("audit.signingKey")).setTooltipGenerator(Row::signer).setAutoWidth(true).setFlexGrow(0);
        entries.addColumn(Row::hash).setHeader(getTranslation("audit.entryHash")).setAutoWidth(true);
        // newest first, fetched page by page from the database
        entries.setItems(DataProvider.fromCallbacks(
                query -> {
                    long head = log.head().map(AuditEntry::seq).orElse(0L);
                    long newest = head - query.getOffset();
                    long after = Math.max(0, newest - query.getLimit());
                    List<AuditEntry> page = log.page(after, (int) (newest - after));
                    return page.stream().sorted((a, b) -> Long.compare(b.seq(), a.seq())).map(this::row);
                },
                query -> (int) Math.min(Integer.MAX_VALUE, log.head().map(AuditEntry::seq).orElse(0L))));
        entries.setSizeFull();
        add(entries);
    }

    private Row row(AuditEntry entry) {
        String hash = entry.hash().substring(0, 16) + "…";
        String signer = entry.signerFingerprint() == null ? "" : entry.signerFingerprint();
        try {
            Statement statement = Statement.parse(entry.statement());
            String parameters = statement.parameters().entrySet().stream()
                    .filter(p -> !ConfigurationRecorder.GENESIS.equals(statement.action()) || p.getKey().equals("essaim.domain"))
                    .filter(p -> !ConfigurationRecorder.CONFIGURATION.equals(statement.action())
                            || isChanged(statement, p.getKey()))
                    .map(p -> p.getKey() + " = " + p.getValue())
                    .collect(Collectors.joining(", "));
            return new Row(entry.seq(), TIME.format(statement.time()),
                    entry.kind() == AuditEntry.Kind.SERVER ? getTranslation("audit.theServer") : statement.admin(),
                    statement.action(), parameters, signer, hash);
        } catch (StatementException e) {
            return new Row(entry.seq(), "", "", getTranslation("audit.unreadable"), entry.statementText(), signer, hash);
        }
    }

    private static boolean isChanged(Statement statement, String key) {
        String changed = statement.parameters().getOrDefault(ConfigurationRecorder.CHANGED, "");
        return key.equals(ConfigurationRecorder.CHANGED) || List.of(changed.split(",")).contains(key);
    }
}
