package org.essaim.spam;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.essaim.config.InternetProperties;
import org.essaim.delivery.spam.SpamJudge;
import org.essaim.delivery.spam.SpamVerdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The verdict on one incoming message, for the SMTP session's spam hook: the engine's score (rspamd's, or the embedded
 * filter's content rules, classifier, arrival checks and blocklists), then for each recipient account their own
 * sender reputation on top. Refusal is decided once for the message; junk per account.
 */
@Component
public class SpamCheck implements SpamJudge {
    private static final Logger LOGGER = LoggerFactory.getLogger(SpamCheck.class);
    static final String EMBEDDED = "embedded";
    static final String RSPAMD = "rspamd";
    static final String FALLBACK = "embedded (rspamd unavailable)";
    static final String OFF = "off";
    private static final int MAX_REASONS = 20;

    private final SpamSettings settings;
    private final EmbeddedFilter embedded;
    private final DnsBlocklists blocklists;
    private final RspamdClient rspamd;
    private final SenderReputation reputation;
    private final SpamStatistics statistics;

    public SpamCheck(SpamSettings settings, ServerModel model, SenderReputation reputation, SpamStatistics statistics,
                     InternetProperties internet) {
        this.settings = settings;
        this.embedded = new EmbeddedFilter(model::table);
        this.blocklists = new DnsBlocklists(settings.dnsbl(), internet.dns().servers());
        this.rspamd = settings.rspamd() ? new RspamdClient(settings.rspamdUrl(), settings.rspamdTimeout()) : null;
        this.reputation = reputation;
        this.statistics = statistics;
    }

    /** The engine in use, as the admin view shows it. */
    public String engine() {
        if (settings.off()) {
            return "off: no message is judged";
        }
        return settings.rspamd() ? RSPAMD + " at " + settings.rspamdUrl() + ", embedded filter as fallback" : EMBEDDED;
    }

    @Override
    public SpamVerdict judge(Arrival arrival) {
        if (settings.off()) {
            return SpamVerdict.clean(OFF);
        }
        MessageText text = MessageText.parse(arrival.message());
        Judgement judgement = rspamd == null ? embedded(arrival, text, EMBEDDED) : viaRspamd(arrival, text);
        List<String> dkimDomains = AuthenticationRules.dkimDomains(arrival.authentication());
        Set<String> junk = new LinkedHashSet<>();
        List<Reason> reasons = new ArrayList<>(judgement.reasons);
        if (!judgement.reject) {
            for (String account : arrival.accounts()) {
                Reason own = reputation.points(account, text.fromAddress(), dkimDomains);
                double score = judgement.score + own.points();
                boolean junked;
                if (judgement.engineSaysJunk == null) {
                    junked = score >= settings.junkScore();
                } else if (own.points() <= SenderReputation.NOT_SPAM_POINTS / 2) {
                    junked = false; // rspamd's scale is its own: the member's vote decides outright
                } else if (own.points() >= SenderReputation.SPAM_POINTS / 2) {
                    junked = true;
                } else {
                    junked = judgement.engineSaysJunk;
                }
                if (junked) {
                    junk.add(account);
                }
            }
        }
        String outcome = judgement.reject ? SpamStatistics.REFUSED : junk.isEmpty() ? SpamStatistics.DELIVERED : SpamStatistics.JUNKED;
        statistics.record(outcome, reasons);
        List<String> named = reasons.stream().limit(MAX_REASONS).map(Reason::toString).toList();
        return new SpamVerdict(judgement.score, named, judgement.reject, junk, judgement.engine);
    }

    /**
     * @param engineSaysJunk rspamd's own junk decision, or null when the score is compared with {@code junk-score}
     */
    private record Judgement(double score, List<Reason> reasons, boolean reject, Boolean engineSaysJunk, String engine) { }

    private Judgement embedded(Arrival arrival, MessageText text, String engine) {
        List<Reason> reasons = new ArrayList<>(embedded.judge(arrival.message(), text));
        reasons.addAll(AuthenticationRules.apply(arrival.authentication()));
        if (blocklists.enabled() && arrival.client().isPresent()) {
            for (String zone : blocklists.listing(arrival.client().get())) {
                reasons.add(new Reason("DNSBL_" + zone.toUpperCase(java.util.Locale.ROOT), settings.dnsblPoints()));
            }
        }
        reasons.sort((a, b) -> Double.compare(Math.abs(b.points()), Math.abs(a.points())));
        double score = Math.round(reasons.stream().mapToDouble(Reason::points).sum() * 10) / 10.0;
        return new Judgement(score, reasons, score >= settings.rejectScore(), null, engine);
    }

    private Judgement viaRspamd(Arrival arrival, MessageText text) {
        try {
            RspamdClient.Result result = rspamd.check(arrival);
            return new Judgement(result.score(), result.symbols(), result.reject(), result.junk(), RSPAMD);
        } catch (HttpTimeoutException e) {
            LOGGER.warn("rspamd did not answer within {}: judged by the embedded filter", settings.rspamdTimeout());
        } catch (IOException | RuntimeException e) {
            LOGGER.warn("rspamd unavailable ({}): judged by the embedded filter", e.getClass().getSimpleName());
        }
        return embedded(arrival, text, FALLBACK);
    }
}
