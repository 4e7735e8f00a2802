package org.essaim.security;

import java.io.IOException;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

/**
 * Past the security filters (which use the client's address only for the login throttle, through a keyed hash, and
 * to allow HTTP Basic from this machine), nothing in the web tier sees it: Vaadin, the controllers and the error
 * pages get a request whose remote address is {@link #HIDDEN}. Vaadin, for one, logs "Invalid security key received
 * from <address>" for every stale or forged request. Registered right after Spring Security (WebSecurity).
 */
final class NoClientAddressBeyondSecurity implements Filter {

    /** What the application sees instead of the client's address and host. */
    static final String HIDDEN = "0.0.0.0";

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        chain.doFilter(request instanceof HttpServletRequest http ? new WithoutClientAddress(http) : request, response);
    }

    private static final class WithoutClientAddress extends HttpServletRequestWrapper {
        WithoutClientAddress(HttpServletRequest request) {
            super(request);
        }

        @Override
        public String getRemoteAddr() {
            return HIDDEN;
        }

        @Override
        public String getRemoteHost() {
            return HIDDEN;
        }

        @Override
        public int getRemotePort() {
            return 0;
        }
    }
}
