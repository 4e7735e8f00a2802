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
 * CSRF protection of the login form (Vaadin's security configuration exempts {@code POST /login} from Spring's CSRF
 * token, since its pages carry none): a login post is accepted only when it comes from this very site. Another site
 * can then neither log a visitor into an account of its choosing nor make the visitor's browser guess passwords.
 * <ul>
 * <li>A post naming another site as its {@code Origin} is refused, whatever else it carries.</li>
 * <li>Otherwise it needs the session's {@link LoginFormToken} (what the login page posts: under this site's
 * {@code Referrer-Policy: no-referrer} browsers send {@code Origin: null}, as any site could), or an Origin (or
 * Referer) that is this site (a script posting as a browser would).</li>
 * </ul>
 * Behind a reverse proxy this site's own origin is what the proxy forwards (Host, X-Forwarded-Proto).
 * Not a Spring bean on purpose: it belongs to the web filter chain only.
 */
final class LoginCsrfCheck extends OncePerRequestFilter {

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
        String ownOrigin = ownOrigin(request);
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        boolean namesAnotherSite = origin != null && !"null".equals(origin) && !origin.toLowerCase(Locale.ROOT).equals(ownOrigin);
        if (namesAnotherSite) {
            return false;
        }
        if (LoginFormToken.postedWith(request)) {
            return true;
        }
        String claimed = origin != null ? origin : originOf(request.getHeader(HttpHeaders.REFERER));
        return claimed != null && claimed.toLowerCase(Locale.ROOT).equals(ownOrigin);
    }

    private static String ownOrigin(HttpServletRequest request) {
        String scheme = request.getScheme().toLowerCase(Locale.ROOT);
        int port = request.getServerPort();
        boolean defaultPort = port < 0 || ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
        return scheme + "://" + request.getServerName().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }

    private static String originOf(String url) {
        if (url == null) {
            return null;
        }
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
