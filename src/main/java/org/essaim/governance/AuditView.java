package org.essaim.governance;

import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;

import jakarta.annotation.security.PermitAll;

/**
 * The audit log for members, in the webmail frame through the automatic layout. Anyone may read it at
 * {@code public/audit} ({@link PublicAuditView}) when {@code essaim.audit.public=true}.
 */
@Route("audit")
@PageTitle("Audit log · Essaim")
@PermitAll
public class AuditView extends VerticalLayout {

    public AuditView(AuditLog log, Cooptation cooptation) {
        setSizeFull();
        setPadding(false);
        add(new AuditLogPanel(log, cooptation));
    }
}
