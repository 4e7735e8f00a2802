package org.essaim.portability;

import java.time.LocalDate;
import java.time.ZoneOffset;

/** {@code essaim-export-alice-example.org-2026-11-30.zip}: says whose and when, safe in every file system. */
final class ExportFileName {
    private ExportFileName() {
    }

    static String of(String address) {
        return "essaim-export-" + address.replaceAll("[^A-Za-z0-9.-]", "-") + "-" + LocalDate.now(ZoneOffset.UTC) + ".zip";
    }
}
