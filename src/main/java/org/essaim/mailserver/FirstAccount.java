package org.essaim.mailserver;

import java.util.Optional;

/**
 * The account to create before the mail ports open, on a server that has none yet: the bootstrap admin
 * ({@code essaim.bootstrap.*}). Created by James' own start-up (guice/FirstAccountBeforePorts), so that a client
 * connecting the moment a port answers never meets a server without it ("wrong password" for the bootstrap admin).
 */
public interface FirstAccount {

    /** The server's own mail domain, added before anything else. */
    String domain();

    /** The address and password to create when the server has no account at all; empty without bootstrap settings. */
    Optional<Credentials> toCreate();

    /** Told when the account was created at this start (the Spring side then finishes it: folders, admin role). */
    void created(String address);

    record Credentials(String address, String password) { }
}
