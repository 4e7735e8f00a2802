package org.essaim.webmail.composing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

import com.vaadin.flow.component.combobox.MultiSelectComboBox;
import com.vaadin.flow.data.provider.ListDataProvider;

/**
 * One address field (To, Cc or Bcc): completes from past correspondents and takes any typed or pasted address
 * (several at once, separated by commas, semicolons or spaces). Addresses are outer headers the server sees
 * anyway, so this is an ordinary Vaadin field. A malformed address is refused with a message, not dropped.
 */
class RecipientsField extends MultiSelectComboBox<String> {
    private final List<String> known;
    private final ListDataProvider<String> completions;

    /**
     * @param userEdited called when the user (not the program, e.g. prefilling an answer) changed the addresses
     */
    RecipientsField(String label, String id, List<String> known, ListDataProvider<String> completions,
            Runnable userEdited) {
        super(label);
        this.known = known;
        this.completions = completions;
        setId(id);
        setWidthFull();
        setItems(completions);
        setAllowCustomValue(true);
        setAutoExpand(AutoExpandMode.BOTH);
        setSelectedItemsOnTop(true);
        addCustomValueSetListener(event -> {
            if (add(event.getDetail())) {
                userEdited.run();
            }
        });
        addValueChangeListener(event -> {
            if (event.isFromClient()) {
                userEdited.run();
            }
        });
    }

    /** Adds the addresses in a typed text; returns false (and shows why) if one is not an address. */
    boolean add(String typed) {
        List<String> parsed = new ArrayList<>();
        for (String part : typed.split("[,;\\s]+")) {
            if (part.isBlank()) {
                continue;
            }
            String address = normalize(part);
            if (address == null) {
                setErrorMessage(getTranslation("composer.error.notAnAddress", part));
                setInvalid(true);
                return false;
            }
            parsed.add(address);
        }
        setInvalid(false);
        for (String address : parsed) {
            if (!known.contains(address)) {
                known.add(0, address);
                completions.refreshAll();
            }
        }
        select(parsed.toArray(String[]::new));
        return true;
    }

    /** The address alone, lower-cased, or null when the text is not one mail address. */
    static String normalize(String text) {
        String candidate = text.trim();
        if (candidate.startsWith("<") && candidate.endsWith(">")) {
            candidate = candidate.substring(1, candidate.length() - 1);
        }
        try {
            InternetAddress address = new InternetAddress(candidate, true);
            String value = address.getAddress();
            return value != null && value.indexOf('@') > 0 && value.equals(candidate) ? value.toLowerCase(Locale.ROOT) : null;
        } catch (AddressException e) {
            return null;
        }
    }

    List<String> addresses() {
        return new ArrayList<>(getSelectedItems());
    }
}
