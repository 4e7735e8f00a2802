package org.essaim.admin;

import com.vaadin.flow.component.html.Paragraph;

/** The sentence a spectator (a proposed admin, during co-optation) reads on every admin page instead of its actions. */
public final class ReadOnlyNotice {
    public static final String SPECTATOR_TEXT = "You are a spectator: proposed as admin, you see every admin page, "
            + "read-only, until the admins have all consented (co-optation). You cannot act yet.";

    private ReadOnlyNotice() {
    }

    public static Paragraph forSpectator() {
        Paragraph notice = new Paragraph(SPECTATOR_TEXT);
        notice.setId("read-only-notice");
        notice.getStyle().set("color", "var(--lumo-secondary-text-color)").set("font-style", "italic");
        return notice;
    }
}
