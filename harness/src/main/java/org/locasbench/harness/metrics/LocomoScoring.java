package org.locasbench.harness.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * LoCoMo's QA metric, as its {@code task_eval/evaluation.py} computes it: answer normalisation (drop commas, lower,
 * strip ASCII punctuation, remove a/an/the/and, collapse whitespace), Porter-stemmed token F1; category 1 (multi-hop)
 * split on commas and averaged over gold parts; category 3 gold cut at ';'; category 5 (adversarial) scored by the
 * official "not mentioned" check, and, as the Locas paper reports it, by F1 against the adversarial answer (lower is
 * better; reported negated).
 */
public final class LocomoScoring {
    private static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
    private static final Pattern ARTICLES = Pattern.compile("\\b(a|an|the|and)\\b", Pattern.UNICODE_CHARACTER_CLASS);
    private static final PorterStemmer STEMMER = new PorterStemmer();

    private LocomoScoring() {}

    public static String normalizeAnswer(String s) {
        String t = s.replace(",", "").toLowerCase(java.util.Locale.ROOT);
        StringBuilder noPunct = new StringBuilder();
        t.codePoints().filter(c -> PUNCTUATION.indexOf(c) < 0).forEach(noPunct::appendCodePoint);
        String noArticles = ARTICLES.matcher(noPunct).replaceAll(" ");
        return String.join(" ", tokens(noArticles));
    }

    private static List<String> tokens(String s) {
        List<String> out = new ArrayList<>();
        for (String w : s.trim().split("\\s+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    private static List<String> stemmed(String s) {
        List<String> out = new ArrayList<>();
        for (String w : tokens(normalizeAnswer(s))) {
            out.add(STEMMER.stem(w));
        }
        return out;
    }

    /** Token F1 of stemmed, normalised answers (LoCoMo's {@code f1_score}). */
    public static double f1Score(String prediction, String groundTruth) {
        return BagF1.of(stemmed(prediction), stemmed(groundTruth));
    }

    /** Multi-answer F1 (LoCoMo's {@code f1}): mean over gold parts of the best-matching predicted part. */
    public static double multiAnswerF1(String prediction, String groundTruth) {
        String[] predictions = prediction.split(",");
        String[] golds = groundTruth.split(",");
        double sum = 0;
        for (String g : golds) {
            double best = 0;
            for (String p : predictions) {
                best = Math.max(best, f1Score(p.strip(), g.strip()));
            }
            sum += best;
        }
        return sum / golds.length;
    }

    /** LoCoMo's official score of one answer, per category (1-5). */
    public static double score(int category, String prediction, String answer) {
        return switch (category) {
            case 1 -> multiAnswerF1(prediction, answer);
            case 2, 4 -> f1Score(prediction, answer);
            case 3 -> f1Score(prediction, answer.split(";")[0].strip());
            case 5 -> {
                String lower = prediction.toLowerCase(java.util.Locale.ROOT);
                yield lower.contains("no information available") || lower.contains("not mentioned") ? 1 : 0;
            }
            default -> throw new IllegalArgumentException("LoCoMo category must be 1-5, got " + category);
        };
    }
}
