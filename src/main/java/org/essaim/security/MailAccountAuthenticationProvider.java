package org.essaim.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.essaim.accounts.AccountRoles;
import org.essaim.mailserver.MailServerBridge;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.stereotype.Component;

/**
 * Web and API logins check the same password as IMAP and SMTP: James' users repository, through the bridge.
 * Every account is a USER; admins also get ADMIN, proposed admins (co-optation) SPECTATOR.
 */
@Component
public class MailAccountAuthenticationProvider implements org.springframework.security.authentication.AuthenticationProvider {

    private final MailServerBridge mailServer;
    private final AccountRoles roles;

    public MailAccountAuthenticationProvider(MailServerBridge mailServer, AccountRoles roles) {
        this.mailServer = mailServer;
        this.roles = roles;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String address = String.valueOf(authentication.getName()).trim().toLowerCase(Locale.ROOT);
        Object credentials = authentication.getCredentials();
        String password = credentials == null ? null : credentials.toString();
        if (!mailServer.verifyPassword(address, password)) {
            throw new BadCredentialsException("Wrong address or password");
        }
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

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
