package org.essaim.webmail;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Store;
import jakarta.mail.internet.InternetAddress;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;

import org.essaim.support.EssaimInstance;
import org.essaim.support.MailClients;

/**
 * The webmail's message list seen two ways: in the page, rows found by the sender address they show (the Grid
 * recycles its rows and hidden ones keep stale content), and over IMAP, the senders a folder holds, read by an
 * independent client.
 */
record MessageListRows(Page page) {
    private static final String CHECKBOX_OF_ROW = """
            (text) => {
              const grid = document.querySelector('#messages');
              if (!grid || !grid.shadowRoot) return null;
              for (const content of grid.querySelectorAll('vaadin-grid-cell-content')) {
                if (!content.textContent.includes(text)) continue;
                const slot = grid.shadowRoot.querySelector(`tbody slot[name="${content.getAttribute('slot')}"]`);
                const row = slot && slot.closest('tr');
                if (!row || row.hidden) continue;
                return row.querySelector('slot').getAttribute('name');
              }
              return null;
            }""";

    /** Ticks the checkbox of the shown row from this sender, once the row is shown. */
    void select(String sender) {
        page.waitForFunction("(text) => (" + CHECKBOX_OF_ROW + ")(text) !== null", sender,
                new Page.WaitForFunctionOptions().setTimeout(20_000));
        String slot = (String) page.evaluate(CHECKBOX_OF_ROW, sender);
        Locator checkbox = page.locator("#messages vaadin-grid-cell-content[slot='" + slot + "'] vaadin-checkbox");
        checkbox.click();
        assertThat(checkbox).hasAttribute("checked", "");
    }

    /**
     * The sender addresses of a folder's messages, over IMAPS; none when the folder does not exist yet. The webmail
     * may be moving messages out of the folder meanwhile: a message moved out after this read's SELECT keeps its
     * number until the server may say so, but its data is gone (RFC 2180 4.1.1), and Jakarta Mail then throws
     * "Failed to load IMAP envelope"; a read that meets it is done again. (Moves into the folder no longer get
     * {@code BAD Invalid messageset}: see mailserver/imap/NumberedSelectProcessor.)
     */
    static List<String> senders(EssaimInstance essaim, String user, String password, String folderName)
            throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return sendersOnce(essaim, user, password, folderName);
            } catch (MessagingException changedWhileReading) {
                if (attempt == 3) {
                    throw changedWhileReading;
                }
            }
        }
    }

    private static List<String> sendersOnce(EssaimInstance essaim, String user, String password, String folderName)
            throws MessagingException {
        try (Store imap = MailClients.imaps(essaim, user, password)) {
            Folder folder = imap.getFolder(folderName);
            if (!folder.exists()) {
                return List.of();
            }
            folder.open(Folder.READ_ONLY);
            List<String> senders = new ArrayList<>();
            for (Message message : folder.getMessages()) {
                senders.add(((InternetAddress) message.getFrom()[0]).getAddress());
            }
            folder.close(false);
            return senders;
        }
    }
}
