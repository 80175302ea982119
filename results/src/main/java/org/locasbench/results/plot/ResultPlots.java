package org.locasbench.results.plot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.locasbench.results.Answer;
import org.locasbench.results.Metrics;
import org.locasbench.results.Metrics.Breakdowns;
import org.locasbench.results.Metrics.LocomoCategories;
import org.locasbench.results.MmluCategories;
import org.locasbench.results.Result;

/**
 * The plots made from results: per-window NLL curves (streaming), accuracy per subject (MMLU), score per question
 * (LoCoMo), and the paper's figures: PG-19 cumulative PPL over tokens streamed and its difference to no memory, the
 * ablation's NLL per window on a log scale, MMLU accuracy per subject group and the forgetting per variant, LoCoMo F1
 * per category and method.
 */
public final class ResultPlots {
    public static final String TOKENS_STREAMED = "tokens streamed";
    public static final String WINDOW_NLL = "mean NLL of the window (nats)";
    public static final String CUMULATIVE_PPL = "cumulative PPL";

    private ResultPlots() {}

    /**
     * Adds a result's per-window NLL ({@link Metrics.Series#WINDOW_NLL} over {@link Metrics.Series#WINDOW_END}) as a
     * line labelled with its method; windows whose NLL is missing (null) are left out.
     */
    public static CurvePlot addWindowCurve(CurvePlot plot, Result result) {
        List<Double> end = result.series(Metrics.Series.WINDOW_END);
        List<Double> nll = result.series(Metrics.Series.WINDOW_NLL);
        if (end.size() != nll.size()) {
            throw new IllegalArgumentException("result '" + result.name() + "': series '" + Metrics.Series.WINDOW_END
                    + "' has " + end.size() + " values but '" + Metrics.Series.WINDOW_NLL + "' " + nll.size());
        }
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i < end.size(); i++) {
            if (end.get(i) != null && nll.get(i) != null) {
                points.add(new double[] {end.get(i), nll.get(i)});
            }
        }
        double[] x = new double[points.size()];
        double[] y = new double[points.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = points.get(i)[0];
            y[i] = points.get(i)[1];
        }
        return plot.add(result.method().label(), x, y);
    }

    /** Every result's per-window NLL overlaid (x: tokens streamed), in the order given. */
    public static CurvePlot windowCurves(String title, List<Result> results) {
        CurvePlot plot = new CurvePlot(title, TOKENS_STREAMED, WINDOW_NLL);
        results.forEach(r -> addWindowCurve(plot, r));
        return plot;
    }

    /** MMLU: accuracy per subject ({@link Metrics.Breakdowns#ACCURACY_BY_SUBJECT}; x: subject number). */
    public static CurvePlot subjectAccuracy(Result result) {
        Map<String, Double> acc = result.breakdown(Metrics.Breakdowns.ACCURACY_BY_SUBJECT);
        List<String> names = new ArrayList<>();
        double[] x = new double[acc.size()];
        double[] y = new double[acc.size()];
        int i = 0;
        for (Map.Entry<String, Double> e : acc.entrySet()) {
            names.add((i + 1) + " " + e.getKey());
            x[i] = i + 1;
            y[i++] = e.getValue();
        }
        String variant = result.method().variant() != null ? result.method().variant() : result.method().label();
        return new CurvePlot("MMLU accuracy per subject: " + variant, "subject: " + String.join(", ", names),
                "accuracy").add(variant, x, y);
    }

    /** LoCoMo: the score of every question in order. */
    public static CurvePlot answerScores(Result result) {
        List<Answer> answers = result.answers();
        double[] x = new double[answers.size()];
        double[] y = new double[answers.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
            y[i] = answers.get(i).score();
        }
        String label = result.method().label();
        return new CurvePlot("LoCoMo " + result.unit() + ": score per question, " + label, "question",
                "LoCoMo score (F1 / adversarial check)").add(label, x, y);
    }

    // ---- the paper's figures -------------------------------------------------------------------------------------

    /**
     * PPL of every token streamed so far, after each window: {@code exp(sum_i nll_i * n_i / sum_i n_i)} over the
     * windows up to it whose NLL is present, with {@code n_i = window_end[i] - window_end[i-1]} tokens
     * ({@code window_end[-1] = 0}; the first window is one token short of that since its first token is not
     * predicted, so this is within a hair of the {@code ppl_at} marks, not bit-equal). Returns {x, y}: window end,
     * cumulative PPL; windows without an NLL are left out.
     */
    public static double[][] cumulativePpl(Result result) {
        List<Double> end = result.series(Metrics.Series.WINDOW_END);
        List<Double> nll = result.series(Metrics.Series.WINDOW_NLL);
        if (end.size() != nll.size()) {
            throw new IllegalArgumentException("result '" + result.name() + "': series '" + Metrics.Series.WINDOW_END
                    + "' has " + end.size() + " values but '" + Metrics.Series.WINDOW_NLL + "' " + nll.size());
        }
        List<double[]> points = new ArrayList<>();
        double previous = 0;
        double nats = 0;
        double tokens = 0;
        for (int i = 0; i < end.size(); i++) {
            if (end.get(i) == null) {
                continue;
            }
            double n = end.get(i) - previous;
            previous = end.get(i);
            if (nll.get(i) == null || n <= 0) {
                continue;
            }
            nats += nll.get(i) * n;
            tokens += n;
            points.add(new double[] {end.get(i), Math.exp(nats / tokens)});
        }
        return columns(points);
    }

    /** The {@code ppl_at} marks of a result, {x, y} = (mark in tokens, PPL), by mark; non-numeric marks left out. */
    public static double[][] pplMarks(Result result) {
        TreeMap<Double, Double> marks = new TreeMap<>();
        result.breakdown(Breakdowns.PPL_AT).forEach((k, v) -> {
            try {
                marks.put(Double.parseDouble(k), v);
            } catch (NumberFormatException e) {
                // not a token position
            }
        });
        List<double[]> points = new ArrayList<>();
        marks.forEach((k, v) -> points.add(new double[] {k, v}));
        return columns(points);
    }

    /** PG-19: cumulative PPL over tokens streamed, one line per method, the {@code ppl_at} marks drawn on them. */
    public static CurvePlot cumulativePplCurves(String title, List<Result> results) {
        CurvePlot plot = new CurvePlot(title, TOKENS_STREAMED, CUMULATIVE_PPL);
        for (Result r : results) {
            double[][] c = cumulativePpl(r);
            plot.add(r.method().label(), c[0], c[1]);
            double[][] m = pplMarks(r);
            if (m[0].length > 0) {
                plot.marks(r.method().label(), m[0], m[1]);
            }
        }
        return plot;
    }

    /**
     * PG-19: each method's cumulative PPL minus the baseline method's ({@code none}) at the same window ends (below 0:
     * better than no memory), with the marks' differences; null when the baseline did not run or is the only one.
     */
    public static CurvePlot cumulativePplDifference(String title, List<Result> results, String baselineMethod) {
        Result base = results.stream().filter(r -> r.method().id().equals(baselineMethod)).findFirst().orElse(null);
        if (base == null || results.size() < 2) {
            return null;
        }
        Map<Double, Double> baseCurve = asMap(cumulativePpl(base));
        Map<Double, Double> baseMarks = asMap(pplMarks(base));
        CurvePlot plot = new CurvePlot(title, TOKENS_STREAMED, CUMULATIVE_PPL + " − " + base.method().label())
                .horizontalLine(0);
        for (int i = 0; i < results.size(); i++) {
            Result r = results.get(i);
            if (r == base) {
                continue;
            }
            double[][] d = difference(cumulativePpl(r), baseCurve);
            plot.add(r.method().label(), d[0], d[1], i); // the colour it has in cumulativePplCurves
            double[][] m = difference(pplMarks(r), baseMarks);
            if (m[0].length > 0) {
                plot.marks(r.method().label(), m[0], m[1]);
            }
        }
        return plot;
    }

    /**
     * Mean NLL of each window against the window number (1 = scored before any training) on a log-2 x axis, one
     * line per result labelled by {@code label} (the ablation: its init).
     */
    public static CurvePlot nllByWindow(String title, List<Result> results, Function<Result, String> label) {
        CurvePlot plot = new CurvePlot(title, "window (log scale)", WINDOW_NLL).logX();
        for (Result r : results) {
            List<Double> nll = r.series(Metrics.Series.WINDOW_NLL);
            List<double[]> points = new ArrayList<>();
            for (int i = 0; i < nll.size(); i++) {
                if (nll.get(i) != null) {
                    points.add(new double[] {i + 1, nll.get(i)});
                }
            }
            double[][] c = columns(points);
            plot.add(label.apply(r), c[0], c[1]);
        }
        return plot;
    }

    /**
     * MMLU: accuracy per subject group ({@link MmluCategories}), each group's subjects weighted by their questions
     * ({@code questions_by_subject}; equally where a count is missing), as lm-eval aggregates groups. Subjects outside
     * MMLU's 57 are left out; groups without a subject are absent. In {@link MmluCategories#GROUPS} order.
     */
    public static Map<String, Double> groupAccuracy(Result result) {
        Map<String, Double> acc = result.breakdown(Breakdowns.ACCURACY_BY_SUBJECT);
        Map<String, Double> questions = result.breakdown(Breakdowns.QUESTIONS_BY_SUBJECT);
        Map<String, double[]> sums = new LinkedHashMap<>();
        MmluCategories.GROUPS.forEach(g -> sums.put(g, new double[2]));
        acc.forEach((subject, a) -> {
            String group = MmluCategories.groupOf(subject);
            if (group != null) {
                double w = questions.getOrDefault(subject, 1.0);
                sums.get(group)[0] += a * w;
                sums.get(group)[1] += w;
            }
        });
        Map<String, Double> out = new LinkedHashMap<>();
        sums.forEach((g, s) -> {
            if (s[1] > 0) {
                out.put(g, s[0] / s[1]);
            }
        });
        return out;
    }

    /** MMLU: accuracy per subject group ({@link #groupAccuracy}), one bar per variant in each group. */
    public static BarPlot groupAccuracyBars(String title, List<Result> results) {
        BarPlot plot = new BarPlot(title, "MMLU subject group", "accuracy (question-weighted)").valueFormat(".000");
        for (Result r : results) {
            groupAccuracy(r).forEach((g, a) -> plot.add(variant(r), MmluCategories.label(g), a));
        }
        return plot;
    }

    /**
     * MMLU forgetting: each variant's macro accuracy minus the base model's, one bar per variant (below 0: forgot);
     * null when there is no base variant or nothing else.
     */
    public static BarPlot forgettingBars(String title, List<Result> results) {
        Result base = results.stream().filter(r -> Metrics.Methods.BASE_VARIANT.equals(r.method().variant()))
                .findFirst().orElse(null);
        if (base == null || base.metric(Metrics.MACRO_ACCURACY).isEmpty()) {
            return null;
        }
        double b = base.requireMetric(Metrics.MACRO_ACCURACY);
        BarPlot plot = new BarPlot(title, "variant", "macro accuracy − base").zeroLine().valueFormat("+0.000;−0.000");
        for (Result r : results) {
            if (r != base && r.metric(Metrics.MACRO_ACCURACY).isPresent()) {
                plot.add("macro accuracy − base", variant(r), r.requireMetric(Metrics.MACRO_ACCURACY) - b);
            }
        }
        return plot.isEmpty() ? null : plot;
    }

    /**
     * LoCoMo: F1 per category ({@code f1_by_category}) per method label, over every conversation given, each weighted
     * by its questions in the category ({@code questions_by_category}; 1 where missing). Method label to category to
     * F1, categories in LoCoMo's order.
     */
    public static Map<String, Map<String, Double>> categoryF1(List<Result> results) {
        Map<String, Map<String, double[]>> sums = new LinkedHashMap<>();
        for (Result r : results) {
            Map<String, Double> f1 = r.breakdown(Breakdowns.F1_BY_CATEGORY);
            Map<String, Double> n = r.breakdown(Breakdowns.QUESTIONS_BY_CATEGORY);
            Map<String, double[]> m = sums.computeIfAbsent(r.method().label(), k -> new LinkedHashMap<>());
            for (String c : LocomoCategories.NAMES) {
                if (f1.containsKey(c)) {
                    double w = n.getOrDefault(c, 1.0);
                    double[] s = m.computeIfAbsent(c, k -> new double[2]);
                    s[0] += f1.get(c) * w;
                    s[1] += w;
                }
            }
        }
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        sums.forEach((label, m) -> {
            Map<String, Double> row = new LinkedHashMap<>();
            for (String c : LocomoCategories.NAMES) {
                double[] s = m.get(c);
                if (s != null && s[1] > 0) {
                    row.put(c, s[0] / s[1]);
                }
            }
            out.put(label, row);
        });
        return out;
    }

    /** LoCoMo: {@link #categoryF1} as grouped bars, one group per category, one bar per method. */
    public static BarPlot categoryF1Bars(String title, List<Result> results) {
        BarPlot plot = new BarPlot(title, "LoCoMo question category", "F1 (question-weighted)").valueFormat(".000");
        categoryF1(results).forEach((label, row) -> row.forEach((c, v) -> plot.add(label, c.replace('_', '-'), v)));
        return plot;
    }

    private static String variant(Result r) {
        return r.method().variant() != null ? r.method().variant() : r.method().label();
    }

    private static double[][] columns(List<double[]> points) {
        double[] x = new double[points.size()];
        double[] y = new double[points.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = points.get(i)[0];
            y[i] = points.get(i)[1];
        }
        return new double[][] {x, y};
    }

    private static Map<Double, Double> asMap(double[][] xy) {
        Map<Double, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < xy[0].length; i++) {
            m.put(xy[0][i], xy[1][i]);
        }
        return m;
    }

    /** {x, y - base(x)} where the base has the same x. */
    private static double[][] difference(double[][] xy, Map<Double, Double> base) {
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i < xy[0].length; i++) {
            Double b = base.get(xy[0][i]);
            if (b != null) {
                points.add(new double[] {xy[0][i], xy[1][i] - b});
            }
        }
        return columns(points);
    }
}
