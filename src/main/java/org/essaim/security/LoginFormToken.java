package org.essaim.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import com.vaadin.flow.server.WrappedSession;

/**
 * The login form's CSRF token: a random value kept in the visitor's session, which the login page hands to Vaadin's
 * login form (it posts it as a hidden field when the page carries {@code _csrf_parameter}/{@code _csrf} meta tags).
 * Another site cannot read it, so cannot make a visitor's browser post the form.
 */
final class LoginFormToken {

    static final String PARAMETER = "essaim-login-token";
    private static final String ATTRIBUTE = LoginFormToken.class.getName();
    private static final SecureRandom RANDOM = new SecureRandom();

    private LoginFormToken() {
    }

    /** This session's token, made on first use. */
    static String of(WrappedSession session) {
        Object token = session.getAttribute(ATTRIBUTE);
        if (token instanceof String existing) {
            return existing;
        }
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String created = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        session.setAttribute(ATTRIBUTE, created);
        return created;
    }

    /** Whether the posted form carries this session's token. */
    static boolean postedWith(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        String posted = request.getParameter(PARAMETER);
        if (session == null || posted == null || !(session.getAttribute(ATTRIBUTE) instanceof String expected)) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), posted.getBytes(StandardCharsets.US_ASCII));
    }
}
