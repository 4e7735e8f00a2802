package org.essaim.security;

import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;

/**
 * The security headers of every response (on top of Spring Security's defaults: nosniff, X-Frame-Options DENY,
 * no-cache, HSTS over TLS). Pages get a Content-Security-Policy that Vaadin's production bundle works with and that
 * lets no other origin run code, style, frame or receive data from the page:
 * <ul>
 * <li>scripts: this origin only, plus inline and eval: Vaadin's bootstrap page has an inline script, and Flow runs
 * server-sent JavaScript ({@code executeJs}) through {@code new Function};</li>
 * <li>styles: this origin and inline (Lumo and the components set style attributes);</li>
 * <li>images: also http(s) from anywhere, only because the reader shows mail HTML in a srcdoc iframe that inherits this
 * policy: its own policy blocks remote images until the reader asks for them (essaim-safe-html.js);</li>
 * <li>no plugins, no foreign form targets, no base tag tricks, and no page may frame ours.</li>
 * </ul>
 * The API answers JSON and is never a page: {@code default-src 'none'}.
 */
final class ResponseHeaders {

    static final String PAGE_POLICY = String.join("; ",
            "default-src 'self'",
            "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob: https: http:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'");

    static final String API_POLICY = "default-src 'none'; frame-ancestors 'none'";

    /** Powerful browser features no page of Essaim uses: denied to it and to anything it embeds. */
    static final String PERMISSIONS = String.join(", ",
            "accelerometer=()", "ambient-light-sensor=()", "autoplay=()", "bluetooth=()", "camera=()",
            "display-capture=()", "geolocation=()", "gyroscope=()", "hid=()", "magnetometer=()", "microphone=()",
            "midi=()", "payment=()", "publickey-credentials-get=()", "screen-wake-lock=()", "serial=()", "usb=()",
            "xr-spatial-tracking=()");

    private ResponseHeaders() {
    }

    static Customizer<HeadersConfigurer<HttpSecurity>> forPages() {
        return headers(PAGE_POLICY);
    }

    static Customizer<HeadersConfigurer<HttpSecurity>> forApi() {
        return headers(API_POLICY);
    }

    private static Customizer<HeadersConfigurer<HttpSecurity>> headers(String contentSecurityPolicy) {
        return headers -> headers
                .contentSecurityPolicy(csp -> csp.policyDirectives(contentSecurityPolicy))
                .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.NO_REFERRER))
                .permissionsPolicyHeader(permissions -> permissions.policy(PERMISSIONS));
    }
}
