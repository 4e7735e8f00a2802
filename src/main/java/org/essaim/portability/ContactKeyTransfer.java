package org.essaim.portability;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.Tag;
import com.vaadin.flow.component.dependency.JsModule;

/** The browser side of contact keys for export and import: see frontend/portability/essaim-contact-transfer.js. */
@Tag("essaim-contact-transfer")
@JsModule("./crypto/essaim-crypto.js")
@JsModule("./portability/essaim-contact-transfer.js")
class ContactKeyTransfer extends Component {
    ContactKeyTransfer(String account) {
        getElement().setProperty("account", account);
    }
}
