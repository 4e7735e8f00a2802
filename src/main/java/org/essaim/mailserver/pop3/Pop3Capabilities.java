package org.essaim.mailserver.pop3;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import javax.inject.Inject;

import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.protocols.api.Request;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.WiringException;
import org.apache.james.protocols.pop3.POP3Response;
import org.apache.james.protocols.pop3.POP3Session;
import org.apache.james.protocols.pop3.core.CapaCapability;
import org.apache.james.protocols.pop3.core.CapaCmdHandler;

/**
 * CAPA (RFC 2449) lists what this server does in every state: TOP and UIDL (James lists them only once logged in,
 * so a client asking first — as clients do — never learned of them), RESP-CODES, SASL PLAIN (once the connection
 * is encrypted, as login itself), USER, PIPELINING, STLS while it applies. Each capability once.
 */
public class Pop3Capabilities extends CapaCmdHandler {
    private List<CapaCapability> capabilities = List.of();

    @Inject
    public Pop3Capabilities(MetricFactory metricFactory) {
        super(metricFactory);
    }

    @Override
    public Response onCommand(POP3Session session, Request request) {
        Set<String> lines = new LinkedHashSet<>();
        for (CapaCapability capability : capabilities) {
            lines.addAll(capability.getImplementedCapabilities(session));
        }
        lines.add("TOP");
        lines.add("UIDL");
        lines.add("RESP-CODES");
        if (Pop3AuthPlain.loginAllowed(session)) {
            lines.add("SASL PLAIN");
        }
        POP3Response response = new POP3Response(POP3Response.OK_RESPONSE, "Capability list follows");
        lines.forEach(response::appendLine);
        response.appendLine(".");
        return response;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void wireExtensions(Class<?> interfaceName, List<?> extension) throws WiringException {
        super.wireExtensions(interfaceName, extension);
        if (interfaceName.equals(CapaCapability.class)) {
            capabilities = (List<CapaCapability>) extension;
        }
    }
}
