package org.essaim.security;

import java.time.Duration;

import org.essaim.mailserver.logins.TooManyFailedLogins;
import org.springframework.security.core.AuthenticationException;

/** A web login or HTTP Basic attempt refused by the {@link LoginThrottle} before the password was looked at. */
public class TooManyFailedLoginsException extends AuthenticationException {

    private final transient Duration wait;

    public TooManyFailedLoginsException(Duration wait) {
        super(TooManyFailedLogins.message(wait));
        this.wait = wait;
    }

    public Duration retryAfter() {
        return wait;
    }
}
