package org.essaim.admin;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Storage figures for monitoring scripts: {@code GET /api/admin/storage} with admin credentials
 * (HTTP Basic or the admin's session); members and anonymous callers are refused by the API security chain.
 */
@RestController
class StorageApi {
    private final StorageReport report;
    private final StorageSamples samples;

    StorageApi(StorageReport report, StorageSamples samples) {
        this.report = report;
        this.samples = samples;
    }

    record StorageResponse(StorageReport.Disk disk, long queueSize, long usedByAccounts,
                           List<StorageReport.AccountStorage> accounts, List<StorageSamples.Sample> growth) { }

    @GetMapping("/api/admin/storage")
    StorageResponse storage() {
        StorageReport.Overview overview = report.overview();
        return new StorageResponse(overview.disk(), overview.queueSize(), overview.usedByAccounts(),
                overview.accounts(), samples.all());
    }
}
