package org.essaim.delivery.outbound;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;

import javax.net.SocketFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The STARTTLS layer of deliveries under an MTA-STS policy. JavaMail creates it by class name
 * ({@code mail.smtp.ssl.socketFactory.class}, static {@link #getDefault()}) and connects to the MX host's
 * <em>address</em>, so it cannot know the MX host's name; {@link MtaStsDelivery} sets it for the delivering thread
 * around each attempt ({@link #delivering}). The handshake then checks the certificate chain against
 * {@link OutboundTrust} and the certificate's name against the MX host name (JSSE's "HTTPS" endpoint
 * identification: RFC 6125 DNS-ID, a wildcard in the left-most label), and sends that name as SNI.
 */
public final class MtaStsTlsSocketFactory extends SSLSocketFactory {
    private static final ThreadLocal<Target> TARGET = new ThreadLocal<>();
    private static final MtaStsTlsSocketFactory INSTANCE = new MtaStsTlsSocketFactory();

    record Target(String mxHost, SSLSocketFactory validating) {
    }

    /** Called by JavaMail's SocketFetcher. */
    public static SocketFactory getDefault() {
        return INSTANCE;
    }

    /** Runs one delivery attempt with STARTTLS bound to this MX host name and trust. */
    static <T, E extends Exception> T delivering(String mxHost, OutboundTrust trust, Attempt<T, E> attempt) throws E {
        TARGET.set(new Target(mxHost, trust.context().getSocketFactory()));
        try {
            return attempt.run();
        } finally {
            TARGET.remove();
        }
    }

    @FunctionalInterface
    interface Attempt<T, E extends Exception> {
        T run() throws E;
    }

    @Override
    public Socket createSocket(Socket plain, String host, int port, boolean autoClose) throws IOException {
        Target target = TARGET.get();
        if (target == null) {
            throw new SSLException("No MX host name for this TLS connection");
        }
        SSLSocket socket = (SSLSocket) target.validating().createSocket(plain, target.mxHost(), port, autoClose);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        parameters.setServerNames(List.of(new SNIHostName(target.mxHost())));
        socket.setSSLParameters(parameters);
        return socket;
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return SSLSocketFactory.getDefault() instanceof SSLSocketFactory f ? f.getDefaultCipherSuites() : new String[0];
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return SSLSocketFactory.getDefault() instanceof SSLSocketFactory f ? f.getSupportedCipherSuites() : new String[0];
    }

    // Only STARTTLS (layering over a connected socket) is used; direct TLS connections are not MTA-STS's business.
    @Override
    public Socket createSocket(String host, int port) throws IOException {
        throw new SSLException("MTA-STS delivery uses STARTTLS only");
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        throw new SSLException("MTA-STS delivery uses STARTTLS only");
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        throw new SSLException("MTA-STS delivery uses STARTTLS only");
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        throw new SSLException("MTA-STS delivery uses STARTTLS only");
    }
}
