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
 * restored), the last run's result, whom backups are encrypted to and where they go. Texts: the {@code backup.*}
 * keys of the i18n bundles.
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
        Div part = new Div();
        part.add(new H3(part.getTranslation("backup.title")));
        part.setId("backup-status");
        Optional<BackupRecord> verified = directory.list().stream().map(BackupDirectory.Listed::record)
                .flatMap(Optional::stream).filter(record -> record.restoreTest().passed()).findFirst();
        part.add(line("last-verified-restore", verified.map(record -> {
            BackupRecord.RestoreTest test = record.restoreTest();
            return part.getTranslation("backup.lastVerified", when(test.checkedAt()), String.valueOf(test.messages()),
                    String.valueOf(test.accounts()), test.auditHead() == null ? "-"
                            : test.auditHead().seq() + ":" + test.auditHead().hash().substring(0, 16) + "…",
                    record.file(), String.valueOf(record.recipients().size()));
        }).orElse(part.getTranslation("backup.noneVerified"))));
        part.add(line("last-backup-run", directory.lastRun().map(run -> run.succeeded()
                ? part.getTranslation("backup.lastRunDone", when(run.time()))
                : part.getTranslation("backup.lastRunFailed", when(run.time()), run.reason()))
                .orElse(part.getTranslation("backup.neverRun"))));
        EssaimProperties.Backup backup = settings.backup();
        part.add(line("backup-destinations", part.getTranslation("backup.destinations", settings.backupDir().toString(),
                backup.copyTo() == null ? "" : part.getTranslation("backup.copiedTo", backup.copyTo().toString()),
                backup.resticRepository() == null ? "" : part.getTranslation("backup.pushedTo", backup.resticRepository()),
                backup.schedule(), String.valueOf(backup.keep().daily()), String.valueOf(backup.keep().weekly()),
                String.valueOf(backup.keep().monthly()))));
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
