package org.essaim.portability;

import java.io.InputStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Scope;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.upload.Upload;
import com.vaadin.flow.server.streams.DownloadHandler;
import com.vaadin.flow.server.streams.UploadHandler;
import com.vaadin.flow.spring.annotation.SpringComponent;

/**
 * "Leave or arrive" on My account: export everything as stored (one zip), and import such a zip (or Maildir
 * folders and mbox files in a zip) into this account. Contact keys travel through the browser, where they live.
 * Its texts are the {@code portability.*} keys of the i18n bundles.
 */
@SpringComponent
@Scope("prototype")
public class PortabilitySection extends VerticalLayout {
    private static final Logger LOGGER = LoggerFactory.getLogger(PortabilitySection.class);

    private final MailboxExport export;
    private final MailboxImport importer;
    private final Span status = new Span();
    private String address;
    private ContactKeyTransfer contacts;
    private final Anchor download = new Anchor();

    public PortabilitySection(MailboxExport export, MailboxImport importer) {
        this.export = export;
        this.importer = importer;
        setPadding(false);
    }

    /** Builds the section for the logged-in account. */
    public PortabilitySection forAccount(String account) {
        this.address = account;
        contacts = new ContactKeyTransfer(account);
        status.setId("portability-status");
        Button prepare = new Button(getTranslation("portability.export"), click -> prepareExport());
        prepare.setId("export-prepare");
        download.setText(getTranslation("portability.download"));
        download.setId("export-download");
        download.setVisible(false);
        // Read as it arrives, message by message: no copy of the upload on disk (it may hold mail in clear).
        // The page may be closed or left during a long import: the result then has nowhere to show, which is no
        // error, and must not make a finished import look failed (UI.access would throw UIDetachedException).
        Upload upload = new Upload((UploadHandler) event -> {
            UI ui = event.getUI();
            MailboxImport.Result result;
            try (InputStream body = event.getInputStream()) {
                result = importer.importZip(address, body);
            } catch (Exception e) {
                LOGGER.warn("Import into {} failed: {}", address, e.getMessage());
                ui.accessLater(() -> status.setText(getTranslation("portability.failed", String.valueOf(e.getMessage()))),
                        () -> { }).run();
                return;
            }
            ui.accessLater(() -> imported(result), () -> { }).run();
        });
        upload.setId("import-upload");
        upload.setUploadButton(new Button(getTranslation("portability.import")));
        upload.setAcceptedFileTypes("application/zip", ".zip");
        add(new H3(getTranslation("portability.title")), new Paragraph(getTranslation("portability.explanation")), prepare,
                download, upload, status, contacts);
        return this;
    }

    private void prepareExport() {
        status.setText(getTranslation("portability.collecting"));
        contacts.getElement().callJsFunction("collect").then(String.class,
                contactKeys -> offerDownload(contactKeys),
                error -> offerDownload(null));
    }

    private void offerDownload(String contactKeys) {
        download.setHref((DownloadHandler) event -> {
            event.setFileName(ExportFileName.of(address));
            event.setContentType("application/zip");
            event.getResponse().setHeader("Cache-Control", "no-store");
            export.write(address, contactKeys, event.getOutputStream());
        }, com.vaadin.flow.component.html.AttachmentType.DOWNLOAD);
        download.setVisible(true);
        status.setText(getTranslation(contactKeys == null ? "portability.readyWithoutContacts" : "portability.ready"));
    }

    private void imported(MailboxImport.Result result) {
        StringBuilder text = new StringBuilder(getTranslation("portability.imported", String.valueOf(result.messages()),
                String.valueOf(result.folders().size()), result.publicKey()));
        if (!result.skipped().isEmpty()) {
            text.append(' ').append(getTranslation("portability.skipped", String.join(", ", result.skipped())));
        }
        status.setText(text.toString());
        if (result.contactKeys() != null) {
            contacts.getElement().callJsFunction("restore", result.contactKeys()).then(Integer.class,
                    count -> status.setText(status.getText() + " " + getTranslation("portability.contactsAdded", String.valueOf(count))),
                    error -> status.setText(status.getText() + " " + getTranslation("portability.contactsFailed", error)));
        }
    }
}
