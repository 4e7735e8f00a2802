package org.essaim.webmail;

import java.util.Locale;

import org.essaim.mailserver.StorageUsage;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.component.progressbar.ProgressBarVariant;

/**
 * A member's own storage: a usage bar, "12.3 MB of 1.0 GB", and a warning when the mailbox is nearly full
 * (above {@value #NEARLY_FULL} of the quota), before mail starts bouncing. Parts carry CSS classes, not ids,
 * because the bar may be on a page twice (drawer and account page).
 */
public class StorageBar extends Div {
    public static final double NEARLY_FULL = 0.9;

    private final ProgressBar bar = new ProgressBar();
    private final Span figures = new Span();
    private final Span warning = new Span();

    public StorageBar() {
        addClassName("storage-bar");
        bar.addClassName("storage-bar-progress");
        figures.addClassName("storage-bar-figures");
        warning.addClassName("storage-bar-warning");
        figures.getStyle().set("font-size", "var(--lumo-font-size-s)");
        warning.getStyle().set("display", "block").set("font-size", "var(--lumo-font-size-s)")
                .set("color", "var(--lumo-error-text-color)");
        add(bar, figures, warning);
    }

    public void show(StorageUsage usage) {
        setVisible(true);
        double ratio = usage.ratio();
        bar.setValue(Math.min(1, ratio));
        boolean nearlyFull = usage.limitBytes().isPresent() && ratio > NEARLY_FULL;
        bar.removeThemeVariants(ProgressBarVariant.LUMO_ERROR);
        if (nearlyFull) {
            bar.addThemeVariants(ProgressBarVariant.LUMO_ERROR);
        }
        if (usage.limitBytes().isPresent()) {
            figures.setText(getTranslation("storage.of", MessageSizes.human(usage.usedBytes(), getLocale()),
                    MessageSizes.human(usage.limitBytes().getAsLong(), getLocale()))
                    + (ratio > 0 && ratio < 0.01 ? " (< 1 %)" : String.format(Locale.ROOT, " (%.0f %%)", ratio * 100)));
        } else {
            figures.setText(getTranslation("storage.noLimit", MessageSizes.human(usage.usedBytes(), getLocale())));
        }
        warning.setVisible(nearlyFull);
        warning.setText(getTranslation(ratio >= 1 ? "storage.full" : "storage.nearlyFull"));
        getElement().setAttribute("data-used-bytes", Long.toString(usage.usedBytes()));
    }
}
