package org.essaim.admin;

import com.vaadin.flow.component.html.Paragraph;

/** The sentence a spectator (a proposed admin, during co-optation) reads on every admin page instead of its actions. */
public final class ReadOnlyNotice {
    /** The bundle key of that sentence. */
    public static final String SPECTATOR_KEY = "admin.spectator";

    private ReadOnlyNotice() {
    }

    public static Paragraph forSpectator() {
        Paragraph notice = new Paragraph();
        notice.setText(notice.getTranslation(SPECTATOR_KEY));
        notice.setId("read-only-notice");
        notice.getStyle().set("color", "var(--lumo-secondary-text-color)").set("font-style", "italic");
        return notice;
    }
}
