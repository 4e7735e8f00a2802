package org.essaim.mailserver;

import javax.net.ssl.SSLSocketFactory;

/**
 * Where Essaim's own clients (the webmail) reach the mail ports, and the TLS socket factory that trusts
 * exactly the certificate those ports serve. Connect with implicit TLS to {@code imapsPort}; submit with
 * STARTTLS on {@code submissionPort}. The certificate is pinned, so host name checks are not needed.
 */
public record MailEndpoints(String host, int imapsPort, int submissionPort, SSLSocketFactory socketFactory) {
}
