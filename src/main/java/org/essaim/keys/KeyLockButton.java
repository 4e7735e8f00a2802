package org.essaim.keys;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.Tag;
import com.vaadin.flow.component.dependency.JsModule;
import com.vaadin.flow.component.dependency.NpmPackage;

/**
 * The visible lock state of the browser-held private key, with a button that locks it at once
 * and, when locked, a passphrase form that unlocks it in page memory (frontend/keys/essaim-key-lock.js). It shares the one crypto module instance with every other view.
 */
@Tag("essaim-key-lock")
@NpmPackage(value = "openpgp", version = "6.3.2")
@NpmPackage(value = "idb", version = "8.0.4")
@JsModule("./keys/essaim-key-lock.js")
public class KeyLockButton extends Component {
    /** @param account the logged-in address, whose browser-held key this button locks and unlocks */
    public KeyLockButton(String account) {
        getElement().setProperty("account", account);
    }
}
