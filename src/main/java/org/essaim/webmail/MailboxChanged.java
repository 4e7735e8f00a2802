package org.essaim.webmail;

import com.vaadin.flow.component.ComponentEvent;
import com.vaadin.flow.component.ComponentUtil;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.shared.Registration;

/**
 * Fired on the UI when the mailbox changed: new mail found by {@link NewMailChecks}, or a folder or message action
 * done in this UI. The drawer re-lists folders and unread counts; the open message list refreshes.
 */
public final class MailboxChanged extends ComponentEvent<UI> {
    private final FolderStatus.Snapshot folders;

    /** @param folders the folder states a check read, or null when the listeners should read them themselves */
    MailboxChanged(UI ui, FolderStatus.Snapshot folders) {
        super(ui, false);
        this.folders = folders;
    }

    FolderStatus.Snapshot folders() {
        return folders;
    }

    /** Tells the page's views that the mailbox changed: they read the folder states again. */
    public static void fire(UI ui) {
        fire(ui, null);
    }

    /** Tells the page's views what a new-mail check read. */
    static void fire(UI ui, FolderStatus.Snapshot folders) {
        ComponentUtil.fireEvent(ui, new MailboxChanged(ui, folders));
    }

    static Registration listen(UI ui, com.vaadin.flow.component.ComponentEventListener<MailboxChanged> listener) {
        return ComponentUtil.addListener(ui, MailboxChanged.class, listener);
    }
}
