package org.essaim.lists;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.Tag;
import com.vaadin.flow.component.dependency.JsModule;
import com.vaadin.flow.component.dependency.NpmPackage;
import com.vaadin.flow.server.streams.DownloadHandler;

/**
 * {@code <essaim-list-post>} (frontend/lists/essaim-list-post.js): fetches one encrypted post of a members-only
 * archive from {@code src} and decrypts and shows it in the browser. Java sets only the URL and the account; it
 * never reads anything back.
 */
@Tag("essaim-list-post")
@NpmPackage(value = "postal-mime", version = "4.0.0")
@JsModule("./lists/essaim-list-post.js")
class ListPostElement extends Component {

    ListPostElement(String account, DownloadHandler source) {
        getElement().setProperty("account", account);
        getElement().setAttribute("src", source);
    }
}
