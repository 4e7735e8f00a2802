package org.essaim.security;

import java.io.IOException;
import java.net.URI;
import java.util.Locale;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * CSRF protection of the login form: a {@code POST /login} is accepted only when the browser says it comes from this
 * very site ({@code Origin}, or {@code Referer} when a browser sends no Origin). Another site can therefore neither log
 * a visitor into an account of its choosing nor use the form to guess passwords from the visitor's browser. The
 * login page is a Vaadin form posting natively, which can carry no Spring CSRF token: every browser in use sends
 * Origin with a form POST. Scripts use HTTP Basic on the API instead. Behind a reverse proxy, this site's own origin
 * is what the proxy forwards (Host, X-Forwarded-Proto).
 * <p>
 * Not a Spring bean on purpose: it belongs to the web filter chain only.
 */
final class LoginOriginCheck extends OncePerRequestFilter {

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !("POST".equals(request.getMethod()) && "/login".equals(request.getServletPath()));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!fromThisSite(request)) {
            response.sendError(HttpServletResponse.SC_FORBIDDEN,
                    "Log in from this site's own login page (the request did not come from it).");
            return;
        }
        chain.doFilter(request, response);
    }

    static boolean fromThisSite(HttpServletRequest request) {
        String claimed = request.getHeader(HttpHeaders.ORIGIN);
        if (claimed == null) {
            String referer = request.getHeader(HttpHeaders.REFERER);
            if (referer == null) {
                return false;
            }
            claimed = originOf(referer);
        }
        return claimed != null && claimed.toLowerCase(Locale.ROOT).equals(ownOrigin(request));
    }

    private static String ownOrigin(HttpServletRequest request) {
        String scheme = request.getScheme().toLowerCase(Locale.ROOT);
        int port = request.getServerPort();
        boolean defaultPort = port < 0 || ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
        return scheme + "://" + request.getServerName().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }

    private static String originOf(String url) {
        try {
            URI uri = URI.create(url);
            if (uri.getScheme() == null || uri.getHost() == null) {
                return null;
            }
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
