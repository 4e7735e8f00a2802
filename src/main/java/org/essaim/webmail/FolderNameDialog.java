package org.essaim.webmail;

import java.util.function.Function;

import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.textfield.TextField;

/**
 * Asks for a folder name (new folder, or a rename) and runs the action; a refused name keeps the dialog open with
 * the reason under the field, so nothing typed is lost.
 */
final class FolderNameDialog extends Dialog {
    /**
     * @param action does the change and returns the folder's full name; throws with a message to show when refused
     * @param done   called with that name once the change is made
     */
    FolderNameDialog(String title, String initialName, String saveLabel, Function<String, String> action,
            java.util.function.Consumer<String> done) {
        setHeaderTitle(title);
        TextField name = new TextField(getTranslation("folderDialog.name"));
        name.setId("folder-name");
        name.setValue(initialName);
        name.setWidthFull();
        Button save = new Button(saveLabel, click -> {
            try {
                String saved = action.apply(name.getValue());
                close();
                done.accept(saved);
            } catch (FolderActions.FolderActionException | MailboxUnavailableException refused) {
                name.setErrorMessage(refused.getMessage());
                name.setInvalid(true);
            }
        });
        save.setId("folder-name-save");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        save.addClickShortcut(Key.ENTER);
        Button cancel = new Button(getTranslation("folderDialog.cancel"), click -> close());
        add(name);
        getFooter().add(cancel, save);
        addOpenedChangeListener(opened -> name.focus());
    }
}
