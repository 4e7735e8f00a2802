package org.essaim.delivery.authentication;

import java.util.Locale;
import java.util.Optional;

import org.apache.james.jspf.core.DNSServiceEnabled;
import org.apache.james.jspf.core.MacroExpand;
import org.apache.james.jspf.core.MacroExpandEnabled;
import org.apache.james.jspf.core.SPFCheckEnabled;
import org.apache.james.jspf.executor.SynchronousSPFExecutor;
import org.apache.james.jspf.impl.DNSServiceXBillImpl;
import org.apache.james.jspf.impl.DefaultTermsFactory;
import org.apache.james.jspf.impl.SPF;
import org.apache.james.jspf.parser.RFC4408SPF1Parser;
import org.apache.james.jspf.wiring.WiringServiceTable;
import org.essaim.delivery.authentication.AuthenticationVerdict.Result;
import org.essaim.delivery.dns.DnsResolver;

/**
 * SPF (RFC 7208) for the client that delivers: is its IP address allowed to send for the envelope sender's domain
 * (or, for an empty MAIL FROM, the HELO name)? Apache jSPF does the evaluation, through Essaim's resolvers.
 * Wired by hand with jSPF's synchronous executor: its default asynchronous executor (1.0.3) looks names up through
 * dnsjava's default session, ignoring the resolver it was given.
 */
final class SpfCheck {
    private final SPF spf;

    SpfCheck(DnsResolver dns) {
        DNSServiceXBillImpl service = new DNSServiceXBillImpl(dns.resolver());
        WiringServiceTable wiring = new WiringServiceTable();
        wiring.put(DNSServiceEnabled.class, service);
        MacroExpand macros = new MacroExpand(service);
        wiring.put(MacroExpandEnabled.class, macros);
        this.spf = new SPF(service, new RFC4408SPF1Parser(new DefaultTermsFactory(wiring)), macros,
                new SynchronousSPFExecutor(service));
        wiring.put(SPFCheckEnabled.class, spf);
        this.spf.setUseBestGuess(false);
    }

    /**
     * @param clientIp   the connecting client's address (used for the check only, never stored)
     * @param mailFrom   the envelope sender, empty for a bounce
     * @param helo       the HELO/EHLO name
     */
    SpfOutcome check(String clientIp, Optional<String> mailFrom, String helo) {
        String identity = mailFrom.orElse("postmaster@" + helo);
        String result = spf.checkSPF(clientIp, mailFrom.orElse(""), helo == null ? "" : helo).getResult();
        Result parsed = Result.of(result).orElse(Result.PERMERROR);
        return new SpfOutcome(parsed, identity.substring(identity.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT));
    }

    /** The SPF result and the domain it speaks for (smtp.mailfrom's domain). */
    record SpfOutcome(Result result, String domain) { }
}
