package org.essaim.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;

import org.essaim.accounts.AccountRoles;
import org.essaim.mailserver.MailServerBridge;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import com.google.common.net.InetAddresses;

/**
 * Web and API logins check the same password as IMAP and SMTP: James' users repository, through the bridge.
 * Every account is a USER; admins also get ADMIN, proposed admins (co-optation) SPECTATOR. Both go through the
 * {@link LoginThrottle} like every mail protocol: a throttled attempt fails with {@link TooManyFailedLoginsException}
 * before the password is checked.
 */
@Component
public class MailAccountAuthenticationProvider implements org.springframework.security.authentication.AuthenticationProvider {

    private static final InetAddress UNKNOWN_CLIENT = InetAddress.getLoopbackAddress();

    private final MailServerBridge mailServer;
    private final AccountRoles roles;
    private final LoginThrottle throttle;

    public MailAccountAuthenticationProvider(MailServerBridge mailServer, AccountRoles roles, LoginThrottle throttle) {
        this.mailServer = mailServer;
        this.roles = roles;
        this.throttle = throttle;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String address = String.valueOf(authentication.getName()).trim().toLowerCase(Locale.ROOT);
        Object credentials = authentication.getCredentials();
        String password = credentials == null ? null : credentials.toString();
        InetAddress client = currentClient();
        Duration wait = throttle.admit(address, client);
        if (!wait.isZero()) {
            throw new TooManyFailedLoginsException(wait);
        }
        boolean rightPassword = false;
        try {
            rightPassword = mailServer.verifyPassword(address, password);
        } finally {
            if (!rightPassword) {
                throttle.failed(address, client);
            }
        }
        if (!rightPassword) {
            throw new BadCredentialsException("Wrong address or password");
        }
        throttle.succeeded(address, client);
        // The webmail's own IMAP/SMTP sessions for this account must keep working if a stranger locks it later.
        throttle.trust(address, webmailClient());
        List<GrantedAuthority> authorities = new ArrayList<>();
        authorities.add(new SimpleGrantedAuthority("ROLE_USER"));
        if (roles.isAdmin(address)) {
            authorities.add(new SimpleGrantedAuthority("ROLE_ADMIN"));
        } else if (roles.isSpectator(address)) {
            authorities.add(new SimpleGrantedAuthority("ROLE_SPECTATOR")); // reads admin pages, acts on nothing
        }
        // The password stays in the token's credentials so the webmail can open the user's IMAP session;
        // it lives in server memory only (sessions are never persisted) and is not logged.
        return UsernamePasswordAuthenticationToken.authenticated(address, password, authorities);
    }

    /** The client of the HTTP request being authenticated (after a trusted proxy's X-Forwarded-For). */
    private static InetAddress currentClient() {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
            HttpServletRequest request = attributes.getRequest();
            String address = request.getRemoteAddr();
            return address != null && InetAddresses.isInetAddress(address) ? InetAddresses.forString(address) : UNKNOWN_CLIENT;
        }
        return UNKNOWN_CLIENT;
    }

    private InetAddress webmailClient() {
        try {
            return InetAddress.getByName(mailServer.webmailHost());
        } catch (UnknownHostException e) {
            return UNKNOWN_CLIENT;
        }
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
