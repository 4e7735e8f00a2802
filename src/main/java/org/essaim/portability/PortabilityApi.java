package org.essaim.portability;

import java.io.IOException;
import java.io.InputStream;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The same export and import as the My account page, for scripts (HTTP Basic over TLS or from the server itself,
 * or the webmail session): {@code GET /api/account/export} streams the zip (without contact keys, which only the
 * browser has); {@code POST /api/account/import} takes a zip as the request body.
 */
@RestController
@RequestMapping("/api/account")
class PortabilityApi {
    private final MailboxExport export;
    private final MailboxImport importer;

    PortabilityApi(MailboxExport export, MailboxImport importer) {
        this.export = export;
        this.importer = importer;
    }

    @GetMapping("/export")
    void export(Authentication account, HttpServletResponse response) throws IOException {
        response.setContentType("application/zip");
        response.setHeader("Content-Disposition", "attachment; filename=\"" + ExportFileName.of(account.getName()) + "\"");
        response.setHeader("Cache-Control", "no-store");
        export.write(account.getName(), null, response.getOutputStream());
    }

    @PostMapping("/import")
    MailboxImport.Result importZip(Authentication account, HttpServletRequest request) throws IOException {
        try (InputStream body = request.getInputStream()) {
            return importer.importZip(account.getName(), body);
        }
    }
}
