package org.essaim.webmail.reading;

import java.util.Set;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.ComponentEvent;
import com.vaadin.flow.component.DomEvent;
import com.vaadin.flow.component.EventData;
import com.vaadin.flow.component.Tag;
import com.vaadin.flow.component.dependency.JsModule;
import com.vaadin.flow.component.dependency.NpmPackage;
import com.vaadin.flow.server.streams.DownloadHandler;
import com.vaadin.flow.shared.Registration;

/**
 * {@code <essaim-reader>} (frontend/webmail/essaim-reader.js): fetches the stored message as raw bytes from
 * {@code src}, decrypts, verifies, parses and shows it in the browser. Java only sets public data on it (the
 * account, the sender's public key, the outer headers) and never reads anything back but the user's choice of
 * answer (a mode name, no content): no property of this element is synchronised to the server.
 */
@Tag("essaim-reader")
@NpmPackage(value = "openpgp", version = "6.3.2")
@NpmPackage(value = "idb", version = "8.0.4")
@NpmPackage(value = "postal-mime", version = "4.0.0")
@NpmPackage(value = "dompurify", version = "3.4.18")
// A DOM in Node for the unit tests of the HTML transforms (frontend/webmail/html/*.test.js); never bundled (nothing
// the bundle loads imports it). Not a dev package, so that the tests' `npm install --omit=dev` brings it without the
// 500-odd packages of the build tools (docs/frontend-tests.md).
@NpmPackage(value = "linkedom", version = "0.18.15")
@JsModule("./webmail/essaim-reader.js")
public class MessageReader extends Component implements com.vaadin.flow.component.HasSize {
    static final Set<String> ANSWER_MODES = Set.of("reply", "reply-all", "forward");

    MessageReader() {
        setId("reader");
    }

    /** The user opened another message of the conversation (listed by the element from the browser's index). */
    void addOpenListener(java.util.function.BiConsumer<String, Long> listener) {
        getElement().addEventListener("essaim-open", event -> listener.accept(
                event.getEventData().getString("event.detail.folder"), (long) event.getEventData().getNumber("event.detail.uid")))
                .addEventData("event.detail.folder").addEventData("event.detail.uid");
    }

    /**
     * Where the element fetches the stored message. A download URL rather than an element property: a message
     * of several megabytes would otherwise travel inside Flow's JSON/UIDL (base64, kept in the UI state tree
     * and resent on reattach); the URL streams it once from IMAP, with HTTP's own length and caching control.
     */
    void setSource(DownloadHandler handler) {
        getElement().setAttribute("src", handler);
    }

    /** The host name in the Authentication-Results fields this server writes (essaim.hostname). */
    private String authservId = "";

    void setAuthservId(String authservId) {
        this.authservId = authservId;
    }

    void show(String account, String folder, long uid, OuterHeaders outer, String senderKeyArmored) {
        getElement().setProperty("account", account);
        getElement().setProperty("folder", folder);
        getElement().setProperty("uid", String.valueOf(uid));
        getElement().setProperty("outerFrom", nullToEmpty(outer.from()));
        getElement().setProperty("outerFromAddress", nullToEmpty(outer.fromAddress()));
        getElement().setProperty("outerTo", nullToEmpty(outer.to()));
        getElement().setProperty("outerCc", nullToEmpty(outer.cc()));
        getElement().setProperty("outerSubject", nullToEmpty(outer.subject()));
        getElement().setProperty("outerDate", outer.date() == null ? "" : outer.date().toString());
        getElement().setProperty("senderKey", nullToEmpty(senderKeyArmored));
        getElement().setProperty("authservId", nullToEmpty(authservId));
    }

    Registration addAnswerListener(com.vaadin.flow.component.ComponentEventListener<AnswerEvent> listener) {
        return addListener(AnswerEvent.class, listener);
    }

    /** The user chose Reply, Reply all or Forward; the decrypted original stays in the browser (essaim-handoff.js). */
    @DomEvent("essaim-answer")
    public static class AnswerEvent extends ComponentEvent<MessageReader> {
        private final String mode;

        public AnswerEvent(MessageReader source, boolean fromClient, @EventData("event.detail.mode") String mode) {
            super(source, fromClient);
            this.mode = mode;
        }

        public String mode() {
            return mode;
        }
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
