package org.essaim.webmail;

import java.util.Map;

import com.vaadin.flow.component.ComponentEvent;
import com.vaadin.flow.component.ComponentUtil;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.shared.Registration;

/**
 * Fired on the UI when the mailbox changed: new mail found by {@link NewMailChecks}, or a folder or message action
 * done in this UI. The drawer re-lists folders and unread counts; the open message list refreshes.
 */
public final class MailboxChanged extends ComponentEvent<UI> {
    private final Map<String, FolderStatus.State> folders;

    /** @param folders the fresh folder states, or null when the listeners should read them themselves */
    MailboxChanged(UI ui, Map<String, FolderStatus.State> folders) {
        super(ui, false);
        this.folders = folders;
    }

    Map<String, FolderStatus.State> folders() {
        return folders;
    }

    /** Tells the page's views that the mailbox changed (null folders: they read the folder states again). */
    public static void fire(UI ui, Map<String, FolderStatus.State> folders) {
        ComponentUtil.fireEvent(ui, new MailboxChanged(ui, folders));
    }

    static Registration listen(UI ui, com.vaadin.flow.component.ComponentEventListener<MailboxChanged> listener) {
        return ComponentUtil.addListener(ui, MailboxChanged.class, listener);
    }
}
