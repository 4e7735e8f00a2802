package org.essaim.spam;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.essaim.support.SpamAssassinCorpus;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * How robust the embedded filter is on the sets the project may see (easy-ham-1, hard-ham-1, spam-1; never the
 * held-out easy-ham-2 and spam-2): k-fold cross-validation over several seeds (each message judged by a model that
 * never saw it), plus a chronological split (trained on the older 80 % of each set by Date header, judged on the
 * newer 20 %: the closest stand-in for mail that comes later than the training corpus). Prints, for each, the spam
 * caught and the ham misfiled at the default junk score, and at junk scores around it (the margins).
 * <p>
 * Run: {@code mvn -B -o test -Dtest=SpamModelCrossValidation -Dexcluded.test.groups=none} (optional
 * {@code -Dcv.seeds=1,2,3,4,5 -Dcv.folds=5}). Tagged benchmark: left out of {@code mvn test}. docs/spam.md has the
 * figures.
 */
@Tag("benchmark")
class SpamModelCrossValidation {
    static final double JUNK_SCORE = CorpusGatesTest.JUNK_SCORE;
    private static final double[] THRESHOLDS = {2.0, 2.5, 3.0, 3.5, 4.0};

    /** One message of the corpus, tokenised once. */
    record Sample(Set<String> tokens, double rulePoints, boolean spam, long date) { }

    @Test
    void crossValidatedRatesOverSeveralSeeds() {
        main(new String[0]);
    }

    public static void main(String[] args) {
        List<Long> seeds = java.util.Arrays.stream(System.getProperty("cv.seeds", "1,2,3,4,5,16").split(","))
                .map(String::trim).map(Long::parseLong).toList();
        int folds = Integer.getInteger("cv.folds", 5);
        long begin = System.nanoTime();
        List<Sample> easy = samples(SpamAssassinCorpus.EASY_HAM, false);
        List<Sample> hard = samples(SpamAssassinCorpus.HARD_HAM, false);
        List<Sample> spam = samples(SpamAssassinCorpus.SPAM, true);
        System.out.printf("tokenised %d messages in %d ms%n", easy.size() + hard.size() + spam.size(),
                (System.nanoTime() - begin) / 1_000_000);

        double[][] sums = new double[3][THRESHOLDS.length];
        System.out.printf("%-12s %s%n", "split", "spam caught / easy ham misfiled / hard ham misfiled, at junk score "
                + java.util.Arrays.toString(THRESHOLDS));
        double worstSpam = 1;
        double worstHard = 0;
        double worstEasy = 0;
        for (long seed : seeds) {
            List<List<Sample>> easyFolds = folds(easy, folds, seed);
            List<List<Sample>> hardFolds = folds(hard, folds, seed);
            List<List<Sample>> spamFolds = folds(spam, folds, seed);
            List<List<Double>> all = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            for (int f = 0; f < folds; f++) {
                TokenTable table = new TokenTable();
                for (int g = 0; g < folds; g++) {
                    if (g != f) {
                        learn(table, easyFolds.get(g));
                        learn(table, hardFolds.get(g));
                        learn(table, spamFolds.get(g));
                    }
                }
                judge(table, spamFolds.get(f), all.get(0));
                judge(table, easyFolds.get(f), all.get(1));
                judge(table, hardFolds.get(f), all.get(2));
            }
            double[] rates = print("seed " + seed, all);
            for (int set = 0; set < 3; set++) {
                for (int t = 0; t < THRESHOLDS.length; t++) {
                    sums[set][t] += share(all.get(set), THRESHOLDS[t]);
                }
            }
            worstSpam = Math.min(worstSpam, rates[0]);
            worstEasy = Math.max(worstEasy, rates[1]);
            worstHard = Math.max(worstHard, rates[2]);
        }
        StringBuilder mean = new StringBuilder();
        for (int t = 0; t < THRESHOLDS.length; t++) {
            mean.append(String.format(Locale.ROOT, " %5.1f/%4.2f/%4.1f", sums[0][t] / seeds.size() * 100,
                    sums[1][t] / seeds.size() * 100, sums[2][t] / seeds.size() * 100));
        }
        System.out.printf("%-12s%s%n", "mean", mean);
        System.out.printf("worst seed at the junk score %.1f: spam caught %.1f %%, easy ham %.2f %%, hard ham %.1f %%%n",
                JUNK_SCORE, worstSpam * 100, worstEasy * 100, worstHard * 100);

        // Chronological: train on the older 80 % of each set, judge the newer 20 %.
        List<List<Double>> later = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        TokenTable table = new TokenTable();
        List<List<Sample>> sets = List.of(spam, easy, hard);
        List<List<Sample>> newer = new ArrayList<>();
        for (List<Sample> set : sets) {
            List<Sample> byDate = new ArrayList<>(set);
            byDate.sort(Comparator.comparingLong(Sample::date));
            int cut = byDate.size() * 8 / 10;
            learn(table, byDate.subList(0, cut));
            newer.add(byDate.subList(cut, byDate.size()));
        }
        for (int set = 0; set < 3; set++) {
            judge(table, newer.get(set), later.get(set));
        }
        print("chronological", later);
        System.out.printf("in %d ms%n", (System.nanoTime() - begin) / 1_000_000);
    }

    private static double[] print(String label, List<List<Double>> all) {
        StringBuilder line = new StringBuilder();
        for (double threshold : THRESHOLDS) {
            line.append(String.format(Locale.ROOT, " %5.1f/%4.2f/%4.1f", share(all.get(0), threshold) * 100,
                    share(all.get(1), threshold) * 100, share(all.get(2), threshold) * 100));
        }
        System.out.printf("%-12s%s%n", label, line);
        return new double[] {share(all.get(0), JUNK_SCORE), share(all.get(1), JUNK_SCORE), share(all.get(2), JUNK_SCORE)};
    }

    private static double share(List<Double> scores, double threshold) {
        return scores.isEmpty() ? 0 : (double) scores.stream().filter(s -> s >= threshold).count() / scores.size();
    }

    private static void learn(TokenTable table, List<Sample> samples) {
        for (Sample sample : samples) {
            table.learn(sample.tokens(), sample.spam());
        }
    }

    private static void judge(TokenTable table, List<Sample> samples, List<Double> scores) {
        for (Sample sample : samples) {
            double spamminess = FisherClassifier.spamminess(table, sample.tokens());
            scores.add(sample.rulePoints() + EmbeddedFilter.bayes(spamminess).points());
        }
    }

    private static List<List<Sample>> folds(List<Sample> samples, int folds, long seed) {
        List<Sample> shuffled = new ArrayList<>(samples);
        Collections.shuffle(shuffled, new Random(seed));
        List<List<Sample>> result = new ArrayList<>();
        for (int f = 0; f < folds; f++) {
            result.add(new ArrayList<>());
        }
        for (int i = 0; i < shuffled.size(); i++) {
            result.get(i % folds).add(shuffled.get(i));
        }
        return result;
    }

    static List<Sample> samples(String set, boolean spam) {
        SpamAssassinCorpus.Split all = SpamAssassinCorpus.split(set, 0);
        List<byte[]> messages = new ArrayList<>(all.training());
        messages.addAll(all.test());
        return messages.parallelStream().map(raw -> {
            MessageText text = MessageText.parse(raw);
            double rules = ContentRules.apply(raw, text).stream().mapToDouble(Reason::points).sum();
            return new Sample(Tokenizer.tokens(text), rules, spam, date(raw));
        }).toList();
    }

    private static final Pattern DATE = Pattern.compile("(?im)^date:\\s*(.+)$");

    private static long date(byte[] raw) {
        Matcher date = DATE.matcher(ContentRules.headerBlock(raw));
        if (!date.find()) {
            return 0;
        }
        String cleaned = date.group(1).trim().replaceAll("\\s*\\([^)]*\\)\\s*$", "").replaceAll("\\s+", " ");
        try {
            return ZonedDateTime.parse(cleaned, DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond();
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
