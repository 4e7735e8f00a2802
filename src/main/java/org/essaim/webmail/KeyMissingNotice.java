package org.essaim.webmail;

import org.essaim.keys.PublicKeyDirectory;

import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;

/**
 * Tells a user without a published key that their mailbox is not activated: mail for them is refused for now
 * (senders get a temporary error and retry) and will arrive, encrypted, once the key is published.
 */
class KeyMissingNotice extends Div {

    KeyMissingNotice() {
        setId("key-missing-notice");
        add(new Span(getTranslation("keys.missing") + " "), new Anchor("keys", getTranslation("keys.setUp")));
        getStyle().set("background", "var(--lumo-primary-color-10pct)").set("padding", "var(--lumo-space-s) var(--lumo-space-m)")
                .set("border-radius", "var(--lumo-border-radius-m)");
        setVisible(false);
    }

    void refresh(PublicKeyDirectory keys, String address) {
        setVisible(keys.find(address).isEmpty());
    }
}
