package org.essaim.security;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * HTTP Basic sends the mail password with every request, readable by anyone on the path unless the
 * connection is encrypted. So it is accepted only over TLS ({@code request.isSecure()}, which honours
 * X-Forwarded-Proto when {@code server.forward-headers-strategy} is set behind a reverse proxy) or from
 * this machine itself; any other Basic attempt is refused before the password is even checked.
 *
 * <p>Not a Spring bean on purpose: it belongs to the API filter chain only.
 */
final class BasicAuthOnlyOverTls extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (sendsBasicCredentials(request) && !request.isSecure() && !isLoopback(request.getRemoteAddr())) {
            JsonErrors.write(response, HttpServletResponse.SC_FORBIDDEN,
                    "HTTP Basic authentication is only accepted over HTTPS. Your password was sent unencrypted: "
                            + "consider changing it, and use https:// next time.");
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean sendsBasicCredentials(HttpServletRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        return authorization != null && authorization.regionMatches(true, 0, "Basic", 0, 5);
    }

    /** The remote address is always an IP literal here, so this never resolves a name. */
    private static boolean isLoopback(String remoteAddress) {
        if (remoteAddress == null) {
            return false;
        }
        try {
            return InetAddress.getByName(remoteAddress).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
