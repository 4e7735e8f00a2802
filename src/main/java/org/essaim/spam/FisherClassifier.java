package org.essaim.spam;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Gary Robinson's method as SpamBayes and bogofilter use it: each token's spam probability, smoothed towards 0.5
 * for rarely seen tokens, then Fisher's chi-square combination of the strongest tokens into one spamminess between 0
 * (ham) and 1 (spam). With SpamBayes' constants, except two choices measured by k-fold cross-validation on the
 * corpus the project may see ({@code SpamModelCrossValidation}, figures in docs/spam.md): the 100 strongest clues
 * rather than 150, and at most {@value #MAX_SHAPE_CLUES} "shape" clues (tokens that describe a message's form — HTML
 * tags, MIME tree, header forms, see {@link Tokenizer#isShape}). Shape tokens come in correlated crowds (an HTML
 * newsletter has forty tags that all say "HTML"); counted as independent clues they outvote the words and misfile
 * commercial ham. And only word clues count as evidence ({@link #FULL_EVIDENCE_CLUES}): a short note has a few
 * words and a handful of shape clues (HTML, an image part) that the 2002 corpus learnt as spammy, because its ham was
 * mostly plain text; on shape alone, such a note was junked. A browser-side copy of the classifier must use the same
 * formulas and constants.
 */
public final class FisherClassifier {
    static final double UNKNOWN_WORD_STRENGTH = 0.45;
    static final double UNKNOWN_WORD_PROBABILITY = 0.5;
    static final double MINIMUM_PROBABILITY_STRENGTH = 0.1;
    static final int MAX_DISCRIMINATORS = 100;
    /** The strongest shape clues that may join the word clues (the others are dropped before the 100 are chosen). */
    static final int MAX_SHAPE_CLUES = 5;
    /**
     * Below this many word clues (shape clues do not count) the verdict is pulled towards {@link #FEW_CLUES_PRIOR}
     * in proportion (Essaim's addition to SpamBayes; 25 measured against 15 and 20: docs/spam.md).
     */
    static final int FULL_EVIDENCE_CLUES = 25;
    static final double FEW_CLUES_PRIOR = 0.2;

    private FisherClassifier() {
    }

    /** 0.5 when the table knows nothing of either kind yet. */
    public static double spamminess(TokenTable table, Collection<String> tokens) {
        int spamMessages = Math.max(table.spamMessages(), 1);
        int hamMessages = Math.max(table.hamMessages(), 1);
        if (table.spamMessages() == 0 || table.hamMessages() == 0) {
            return 0.5;
        }
        List<Double> clues = new ArrayList<>();
        List<Double> shapeClues = new ArrayList<>();
        for (String token : tokens) {
            TokenTable.Counts counts = table.counts(token);
            if (counts == null) {
                continue;
            }
            double probability = tokenProbability(counts.spam(), counts.ham(), spamMessages, hamMessages);
            if (Math.abs(probability - 0.5) >= MINIMUM_PROBABILITY_STRENGTH) {
                (Tokenizer.isShape(token) ? shapeClues : clues).add(probability);
            }
        }
        Comparator<Double> strength = Comparator.comparingDouble((Double p) -> Math.abs(p - 0.5)).reversed();
        int wordClues = Math.min(clues.size(), MAX_DISCRIMINATORS);
        shapeClues.sort(strength);
        clues.addAll(shapeClues.subList(0, Math.min(MAX_SHAPE_CLUES, shapeClues.size())));
        if (clues.isEmpty()) {
            return 0.5;
        }
        clues.sort(strength);
        List<Double> strongest = clues.subList(0, Math.min(MAX_DISCRIMINATORS, clues.size()));
        double logHam = 0;
        double logSpam = 0;
        for (double p : strongest) {
            logHam += Math.log(p);
            logSpam += Math.log(1.0 - p);
        }
        int n = strongest.size();
        double spam = 1.0 - chiSquareQ(-2.0 * logSpam, 2 * n);
        double ham = 1.0 - chiSquareQ(-2.0 * logHam, 2 * n);
        double combined = (spam - ham + 1.0) / 2.0;
        // Few words are weak evidence whatever they say: a three-line note must not be junked on "here" and "are",
        // nor on being HTML with an image. Such a verdict is pulled towards SpamBayes' ham cut-off in proportion to
        // the evidence missing; shape clues shape the verdict but are never evidence enough on their own.
        return FEW_CLUES_PRIOR + (combined - FEW_CLUES_PRIOR) * Math.min(1.0, (double) wordClues / FULL_EVIDENCE_CLUES);
    }

    static double tokenProbability(int spam, int ham, int spamMessages, int hamMessages) {
        double spamRatio = (double) spam / spamMessages;
        double hamRatio = (double) ham / hamMessages;
        double probability = spamRatio / (spamRatio + hamRatio);
        int n = spam + ham;
        return (UNKNOWN_WORD_STRENGTH * UNKNOWN_WORD_PROBABILITY + n * probability) / (UNKNOWN_WORD_STRENGTH + n);
    }

    /**
     * The probability that a chi-square variable with {@code freedom} (even) degrees of freedom exceeds {@code x2}:
     * the series e^-m * sum(m^i / i!), summed in log space so that 150 strong clues do not underflow to zero.
     */
    static double chiSquareQ(double x2, int freedom) {
        double m = x2 / 2.0;
        if (m <= 0) {
            return 1.0;
        }
        double logM = Math.log(m);
        double logTerm = -m;
        double largest = logTerm;
        double[] logTerms = new double[freedom / 2];
        logTerms[0] = logTerm;
        for (int i = 1; i < freedom / 2; i++) {
            logTerm += logM - Math.log(i);
            logTerms[i] = logTerm;
            largest = Math.max(largest, logTerm);
        }
        double sum = 0;
        for (double each : logTerms) {
            sum += Math.exp(each - largest);
        }
        return Math.min(Math.exp(largest + Math.log(sum)), 1.0);
    }
}
