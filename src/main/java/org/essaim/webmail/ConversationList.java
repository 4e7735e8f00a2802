package org.essaim.webmail;

import java.nio.charset.StandardCharsets;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.HasSize;
import com.vaadin.flow.component.Tag;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.dependency.JsModule;
import com.vaadin.flow.shared.Registration;

import org.springframework.web.util.UriUtils;

/**
 * {@code <essaim-conversations>} (frontend/webmail/essaim-conversations.js): a folder's mail grouped in
 * conversations, in the browser, from the search index (the threading headers of encrypted mail are protected, so
 * only the browser reads them). Java gives the folder and a counter bumped on mailbox changes; it hears back which
 * message the user opens.
 */
@Tag("essaim-conversations")
@JsModule("./webmail/essaim-conversations.js")
class ConversationList extends Component implements HasSize {
    private int changes;
    private Registration listening;

    ConversationList() {
        setId("conversations");
        getElement().addEventListener("essaim-open", event -> {
            String folder = event.getEventData().getString("event.detail.folder");
            long uid = (long) event.getEventData().getNumber("event.detail.uid");
            UI.getCurrent().navigate("read/" + UriUtils.encodePathSegment(folder, StandardCharsets.UTF_8) + "/" + uid);
        }).addEventData("event.detail.folder").addEventData("event.detail.uid");
    }

    void show(String folder) {
        getElement().setProperty("folder", folder);
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
