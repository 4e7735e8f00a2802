package org.essaim.security;

import java.util.Optional;

import org.essaim.config.EssaimProperties;
import org.essaim.i18n.TranslatedTitle;
import org.springframework.security.web.WebAttributes;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.login.LoginForm;
import com.vaadin.flow.component.login.LoginI18n;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.VaadinSession;
import com.vaadin.flow.server.auth.AnonymousAllowed;
import com.vaadin.flow.spring.security.AuthenticationContext;

/**
 * The login page. The form posts to Spring Security's {@code /login} (a real HTML form post, so the password
 * goes once to the authentication filter) with the session's CSRF token; a failed attempt comes back as
 * {@code /login?error}, a throttled one as {@code /login?error&throttled}.
 */
@Route(value = "login", autoLayout = false)
@AnonymousAllowed
public class LoginView extends VerticalLayout implements BeforeEnterObserver, TranslatedTitle {

    private final LoginForm form = new LoginForm(texts());
    private final Paragraph note = new Paragraph();
    private final AuthenticationContext authentication;

    public LoginView(AuthenticationContext authentication, EssaimProperties properties) {
        this.authentication = authentication;
        setSizeFull();
        setAlignItems(Alignment.CENTER);
        setJustifyContentMode(JustifyContentMode.CENTER);
        form.setAction("login");
        form.setForgotPasswordButtonVisible(false);
        note.setId("login-note");
        note.setVisible(false);
        note.setMaxWidth("24rem");
        add(new H1("Essaim"), note, form);
        if (properties.audit().publicLog()) {
            // The collective made its audit log public: readable without an account (governance's public page).
            Anchor audit = new Anchor("public/audit", getTranslation("login.auditLink"));
            audit.setId("public-audit-link");
            add(audit);
        }
    }

    /**
     * Vaadin's login form posts a hidden field named by the page's {@code _csrf_parameter} meta tag with the value of
     * its {@code _csrf} meta tag: the session's {@link LoginFormToken}, checked by {@link LoginCsrfCheck}.
     */
    @Override
    protected void onAttach(AttachEvent attachEvent) {
        super.onAttach(attachEvent);
        String token = LoginFormToken.of(attachEvent.getSession().getSession());
        getElement().executeJs("""
                for (const [name, content] of [['_csrf_parameter', $0], ['_csrf', $1]]) {
                  let meta = document.head.querySelector('meta[name="' + name + '"]');
                  if (!meta) {
                    meta = document.createElement('meta');
                    meta.name = name;
                    document.head.append(meta);
                  }
                  meta.content = content;
                }""", LoginFormToken.PARAMETER, token);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        if (authentication.isAuthenticated()) {
            event.forwardTo("");
            return;
        }
        var parameters = event.getLocation().getQueryParameters().getParameters();
        form.setI18n(parameters.containsKey("throttled")
                ? throttledTexts(lastThrottledLogin().map(TooManyFailedLoginsException::getMessage)
                        .orElse("Too many failed logins for this account or from this network: try again later."))
                : texts());
        form.setError(parameters.containsKey("error"));
        // Coming from an accepted invitation (InvitationView): the next step is the key set-up.
        // The text is fixed: nothing from the URL is shown.
        boolean invited = parameters.containsKey("invited");
        note.setVisible(invited);
        note.setText(getTranslation("login.invited"));
        if (invited) {
            // The new member's address is filled in, and after this first login they go straight to key set-up.
            parameters.getOrDefault("address", java.util.List.of()).stream().filter(a -> a.matches("[^\\s<>\"']{1,320}@[^\\s<>\"']+"))
                    .findFirst().ifPresent(address -> form.getElement().executeJs(
                            "const f = this.querySelector('#vaadinLoginUsername'); if (f) { f.value = $0; }", address));
            com.vaadin.flow.server.VaadinSession.getCurrent().setAttribute(AFTER_LOGIN, "keys");
        }
    }

    /** VaadinSession attribute: the route to open after the next login (the session survives the login). */
    public static final String AFTER_LOGIN = "essaim.after-login";

    /** Spring Security keeps the last login failure in the session for the page it redirects to. */
    private static Optional<TooManyFailedLoginsException> lastThrottledLogin() {
        VaadinSession session = VaadinSession.getCurrent();
        if (session != null && session.getSession() != null
                && session.getSession().getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION)
                instanceof TooManyFailedLoginsException throttled) {
            return Optional.of(throttled);
        }
        return Optional.empty();
    }

    private LoginI18n throttledTexts(String refusal) {
        LoginI18n texts = texts();
        texts.getErrorMessage().setTitle(getTranslation("login.throttledTitle"));
        texts.getErrorMessage().setMessage(refusal + " " + getTranslation("login.throttledDevices"));
        return texts;
    }

    private LoginI18n texts() {
        LoginI18n texts = LoginI18n.createDefault();
        texts.getForm().setTitle(getTranslation("login.title"));
        texts.getForm().setUsername(getTranslation("login.address"));
        texts.getForm().setPassword(getTranslation("login.password"));
        texts.getForm().setSubmit(getTranslation("login.submit"));
        texts.getErrorMessage().setTitle(getTranslation("login.errorTitle"));
        texts.getErrorMessage().setMessage(getTranslation("login.errorMessage"));
        return texts;
    }

    @Override
    public String titleKey() {
        return "title.login";
    }
}
