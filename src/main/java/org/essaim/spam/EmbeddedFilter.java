package org.essaim.spam;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The filter that needs no daemon: the content rules and the classifier's verdict, as points. The classifier's
 * spamminess s (0 to 1) counts {@value #BAYES_SCALE} × s − {@value #BAYES_OFFSET} points: clear ham earns a small
 * credit that absorbs one careless header, clear spam reaches the junk score on its own, and the classifier alone
 * never reaches the default reject score (that needs other evidence: a blocklist, failed authentication, GTUBE).
 */
public final class EmbeddedFilter {
    static final double BAYES_SCALE = 10;
    static final double BAYES_OFFSET = 1;

    private final Supplier<TokenTable> table;

    public EmbeddedFilter(Supplier<TokenTable> table) {
        this.table = table;
    }

    public List<Reason> judge(byte[] raw) {
        return judge(raw, MessageText.parse(raw));
    }

    public List<Reason> judge(byte[] raw, MessageText text) {
        List<Reason> reasons = new ArrayList<>(ContentRules.apply(raw, text));
        double spamminess = FisherClassifier.spamminess(table.get(), Tokenizer.tokens(text));
        reasons.add(bayes(spamminess));
        return reasons;
    }

    static Reason bayes(double spamminess) {
        int percent = (int) Math.floor(spamminess * 100);
        return new Reason(String.format(Locale.ROOT, "BAYES_%02d", Math.min(percent, 99)),
                Math.round((BAYES_SCALE * spamminess - BAYES_OFFSET) * 10) / 10.0);
    }
}
