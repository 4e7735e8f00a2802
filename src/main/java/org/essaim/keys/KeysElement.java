package org.essaim.keys;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.Tag;
import com.vaadin.flow.component.dependency.JsModule;
import com.vaadin.flow.component.dependency.NpmPackage;
import com.vaadin.flow.shared.Registration;

import elemental.json.JsonObject;
import elemental.json.JsonType;

/**
 * Server-side handle of {@code <essaim-keys>}, the key page rendered in the browser (frontend/keys/essaim-keys.js)
 * on top of the browser crypto module (frontend/crypto/essaim-crypto.js, the only importer of OpenPGP.js).
 * Passphrases and private keys are typed into and handled by that client-side element only, never by a Flow
 * field: what reaches Java is public (fingerprint, public key, status).
 */
@Tag("essaim-keys")
@NpmPackage(value = "openpgp", version = "6.3.2")
@NpmPackage(value = "idb", version = "8.0.4")
@NpmPackage(value = "qrcode", version = "1.5.4")
@JsModule("./crypto/essaim-crypto.js")
@JsModule("./keys/essaim-keys.js")
public class KeysElement extends Component {

    /** Public facts the element reports whenever its key state changes. */
    public record KeyStatus(boolean hasKey, String fingerprint, String backup, boolean unlocked, boolean published) {
    }

    public KeysElement(String account, String displayName) {
        getElement().setProperty("account", account);
        getElement().setProperty("name", displayName == null ? "" : displayName);
    }

    /** Called with the browser's (public) key status: after loading, creating, importing, publishing, locking. */
    public Registration addKeyStatusListener(Consumer<KeyStatus> listener) {
        return getElement().addEventListener("essaim-key-status", event -> {
            var data = event.getEventData();
            listener.accept(new KeyStatus(
                    data.getBoolean("event.detail.hasKey"),
                    optionalString(data, "event.detail.fingerprint"),
                    optionalString(data, "event.detail.backup"),
                    data.getBoolean("event.detail.unlocked"),
                    data.getBoolean("event.detail.published")));
        }).addEventData("event.detail.hasKey")
                .addEventData("event.detail.fingerprint")
                .addEventData("event.detail.backup")
                .addEventData("event.detail.unlocked")
                .addEventData("event.detail.published");
    }

    private static String optionalString(JsonObject data, String key) {
        return data.hasKey(key) && data.get(key).getType() == JsonType.STRING ? data.getString(key) : null;
    }

    /** The armored PUBLIC key this browser holds for the account (the promise fails if it holds none). */
    public CompletableFuture<String> publicKey() {
        return getElement().executeJs("return this.exportPublicKey()").toCompletableFuture(String.class);
    }
}
