package org.essaim.governance;

import org.essaim.config.EssaimProperties;
import org.essaim.i18n.TranslatedTitle;

import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.auth.AnonymousAllowed;
import com.vaadin.flow.spring.security.AuthenticationContext;

/**
 * The audit log for anyone, without logging in, when the collective set {@code essaim.audit.public=true} (as
 * {@code GET /api/audit} is then). Its own route outside the webmail frame: the frame is for members (Vaadin refuses
 * anonymous visitors a view whose layout is not open to them). Otherwise it only says the log is for members.
 * Members are sent to the framed page.
 */
@Route(value = "public/audit", autoLayout = false)
@AnonymousAllowed
public class PublicAuditView extends VerticalLayout implements BeforeEnterObserver, TranslatedTitle {
    private final AuditLog log;
    private final Cooptation cooptation;
    private final boolean publicLog;
    private final AuthenticationContext authentication;

    public PublicAuditView(AuditLog log, Cooptation cooptation, EssaimProperties properties,
                           AuthenticationContext authentication) {
        this.log = log;
        this.cooptation = cooptation;
        this.publicLog = properties.audit().publicLog();
        this.authentication = authentication;
        setSizeFull();
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        if (authentication.isAuthenticated()) {
            event.forwardTo("audit");
            return;
        }
        removeAll();
        add(new H1("Essaim"));
        if (publicLog) {
            add(new AuditLogPanel(log, cooptation));
        } else {
            Paragraph closed = new Paragraph(getTranslation("audit.membersOnly"));
            closed.setId("audit-members-only");
            add(closed, new Anchor("login", getTranslation("title.login")));
        }
    }

    @Override
    public String titleKey() {
        return "title.audit";
    }
}
