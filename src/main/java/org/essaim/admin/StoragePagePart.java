package org.essaim.admin;

import com.vaadin.flow.component.Component;

/**
 * A part another feature adds to the Storage page, below the figures (e.g. the backups' status), without the
 * admin package depending on that feature. Implemented as Spring beans; each page view asks for a fresh component.
 */
public interface StoragePagePart {
    Component create();
}
