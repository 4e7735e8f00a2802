package org.essaim.webmail;

import java.nio.charset.StandardCharsets;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.Tag;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.dependency.JsModule;
import com.vaadin.flow.component.dependency.NpmPackage;
import com.vaadin.flow.shared.Registration;

import org.springframework.web.util.UriUtils;

/**
 * {@code <essaim-search-box>} (frontend/webmail/essaim-search-box.js): the search field and its results, entirely
 * in the browser. The index is built and queried in the crypto worker; Java gives the element the account, one
 * download URL to read folders and stored messages from ({@link SearchIndexSource}), and a counter that changes
 * whenever the mailbox changed (so the index follows new mail, moves and deletes). Java hears back only which
 * message the user opened (folder and UID, as any click in the list tells), never the query or the results.
 */
@Tag("essaim-search-box")
@NpmPackage(value = "openpgp", version = "6.3.2")
@NpmPackage(value = "idb", version = "8.0.4")
@NpmPackage(value = "postal-mime", version = "4.0.0")
@NpmPackage(value = "minisearch", version = "7.2.0")
@JsModule("./webmail/essaim-search-box.js")
public class SearchBox extends Component {
    private int changes;
    private Registration listening;

    SearchBox(MailboxConnection mailbox, String account) {
        setId("search");
        getElement().setProperty("account", account);
        getElement().setAttribute("source", new SearchIndexSource(mailbox));
        getElement().addEventListener("essaim-open", event -> {
            String folder = event.getEventData().getString("event.detail.folder");
            long uid = (long) event.getEventData().getNumber("event.detail.uid");
            UI.getCurrent().navigate("read/" + UriUtils.encodePathSegment(folder, StandardCharsets.UTF_8) + "/" + uid);
        }).addEventData("event.detail.folder").addEventData("event.detail.uid");
    }

    @Override
    protected void onAttach(AttachEvent event) {
        listening = MailboxChanged.listen(event.getUI(), change -> getElement().setProperty("changes", ++changes));
    }

    @Override
    protected void onDetach(DetachEvent event) {
        if (listening != null) {
            listening.remove();
        }
    }
}
