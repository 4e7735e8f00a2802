package org.essaim.governance;

import org.essaim.i18n.TranslatedTitle;

import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Route;

import jakarta.annotation.security.PermitAll;

/**
 * The audit log for members, in the webmail frame through the automatic layout. Anyone may read it at
 * {@code public/audit} ({@link PublicAuditView}) when {@code essaim.audit.public=true}.
 */
@Route("audit")
@PermitAll
public class AuditView extends VerticalLayout implements TranslatedTitle {

    public AuditView(AuditLog log, Cooptation cooptation) {
        setSizeFull();
        setPadding(false);
        add(new AuditLogPanel(log, cooptation));
    }

    @Override
    public String titleKey() {
        return "title.audit";
    }
}
