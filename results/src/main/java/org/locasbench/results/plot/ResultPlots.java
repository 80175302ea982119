package org.locasbench.results.plot;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.locasbench.results.Answer;
import org.locasbench.results.Metrics;
import org.locasbench.results.Result;

/** The plots made from results: per-window NLL curves (streaming), accuracy per subject (MMLU), score per question (LoCoMo). */
public final class ResultPlots {
    public static final String TOKENS_STREAMED = "tokens streamed";
    public static final String WINDOW_NLL = "mean NLL of the window (nats)";

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
}
