package org.essaim.backup;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

import org.essaim.admin.StoragePagePart;
import org.essaim.config.EssaimProperties;
import org.springframework.stereotype.Component;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;

/**
 * The backups on the Storage page: the last verified restore (date, messages, accounts, the audit log's head it
 * restored), the last run's result, whom backups are encrypted to and where they go. Strings are all here.
 */
@Component
class BackupStatusPart implements StoragePagePart {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    private final BackupDirectory directory;
    private final EssaimProperties settings;

    BackupStatusPart(BackupDirectory directory, EssaimProperties settings) {
        this.directory = directory;
        this.settings = settings;
    }

    @Override
    public com.vaadin.flow.component.Component create() {
        Div part = new Div(new H3("Backups"));
        part.setId("backup-status");
        Optional<BackupRecord> verified = directory.list().stream().map(BackupDirectory.Listed::record)
                .flatMap(Optional::stream).filter(record -> record.restoreTest().passed()).findFirst();
        part.add(line("last-verified-restore", verified.map(record -> {
            BackupRecord.RestoreTest test = record.restoreTest();
            return "Last verified restore: " + when(test.checkedAt()) + ", " + test.messages() + " messages of "
                    + test.accounts() + " accounts, log head " + (test.auditHead() == null ? "-"
                    : test.auditHead().seq() + ":" + test.auditHead().hash().substring(0, 16) + "…")
                    + " (" + record.file() + ", encrypted to " + record.recipients().size() + " keys)";
        }).orElse("No verified backup yet.")));
        part.add(line("last-backup-run", directory.lastRun().map(run -> run.succeeded()
                ? "Last run " + when(run.time()) + ": done."
                : "Last run " + when(run.time()) + " FAILED: " + run.reason()).orElse("No backup has run yet.")));
        String destinations = "Kept in " + settings.backupDir()
                + (settings.backup().copyTo() != null ? ", copied to " + settings.backup().copyTo() : "")
                + (settings.backup().resticRepository() != null ? ", pushed to restic " + settings.backup().resticRepository() : "")
                + "; schedule " + settings.backup().schedule()
                + "; keeping " + settings.backup().keep().daily() + " daily, " + settings.backup().keep().weekly()
                + " weekly, " + settings.backup().keep().monthly() + " monthly.";
        part.add(line("backup-destinations", destinations));
        return part;
    }

    private static Div line(String id, String text) {
        Div line = new Div(new Span(text));
        line.setId(id);
        return line;
    }

    private static String when(String instant) {
        try {
            return WHEN.format(Instant.parse(instant));
        } catch (RuntimeException e) {
            return instant;
        }
    }
}
