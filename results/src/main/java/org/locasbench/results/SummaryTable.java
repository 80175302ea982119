package org.locasbench.results;

import java.util.List;
import java.util.Map;

/** Plain-text comparison tables of results, as the harness prints them after a run (reports can print the same). */
public final class SummaryTable {
    private SummaryTable() {}

    /** The table for {@code experiment}'s results: {@link #streaming} (pg19, ablation), {@link #mmlu}, {@link #locomo}. */
    public static String of(String experiment, List<Result> results) {
        return switch (experiment) {
            case Metrics.Experiments.PG19, Metrics.Experiments.ABLATION -> streaming(results);
            case Metrics.Experiments.MMLU -> mmlu(results);
            case Metrics.Experiments.LOCOMO -> locomo(results);
            default -> throw new IllegalArgumentException("no summary table for experiment '" + experiment + "'");
        };
    }

    /** Per book and method: PPL, delta to the book's none, Temp-Lora PPL, params %, wall time, x none, tokens/s. */
    public static String streaming(List<Result> results) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-8s %-26s %9s %9s %10s %9s %9s %8s %9s  %s%n", "book", "method", "PPL", "dPPL",
                "TempLoraPPL", "params%", "wall s", "x none", "tok/s", "PPL@mark (- = past the end)").stripTrailing()
                + "\n");
        for (Result r : results) {
            double ppl = r.metricOr(Metrics.PPL, Double.NaN);
            double none = baseline(results, r.unit(), Metrics.PPL);
            sb.append(String.format("%-8s %-26s %9s %9s %10s %9s %9s %8s %9s", r.unit(), r.method().label(),
                    cell("%.3f", ppl), cell("%+.3f", ppl - none), cell("%.3f", r.metricOr(Metrics.TEMP_LORA_PPL,
                            Double.NaN)), cell("%.3f", r.metricOr(Metrics.PARAMS_ADDED_PERCENT, Double.NaN)),
                    cell("%.1f", r.metricOr(Metrics.WALL_SECONDS, Double.NaN)),
                    cell("%.2f", r.metricOr(Metrics.WALL_RELATIVE_TO_NONE, Double.NaN)),
                    cell("%.0f", r.metricOr(Metrics.TOKENS_PER_SECOND, Double.NaN))).stripTrailing());
            String marks = marks(r);
            sb.append(marks.isEmpty() ? "" : "  " + marks).append('\n');
        }
        return sb.toString();
    }

    /** Per MMLU variant: macro and micro accuracy, questions, questions/s and tokens/s (fed, padding included). */
    public static String mmlu(List<Result> results) {
        StringBuilder sb = new StringBuilder(String.format("%-16s %10s %10s %10s %8s %9s%n", "variant", "macro acc",
                "micro acc", "questions", "q/s", "tok/s"));
        for (Result r : results) {
            sb.append(String.format("%-16s %10s %10s %10d %8s %9s%n", variant(r),
                    cell("%.4f", r.metricOr(Metrics.MACRO_ACCURACY, Double.NaN)),
                    cell("%.4f", r.metricOr(Metrics.MICRO_ACCURACY, Double.NaN)),
                    (long) r.metricOr(Metrics.QUESTIONS, 0), cell("%.2f", r.metricOr(Metrics.QUESTIONS_PER_SECOND,
                            Double.NaN)), cell("%.0f", r.metricOr(Metrics.TOKENS_PER_SECOND, Double.NaN))));
        }
        return sb.toString();
    }

    /** Per conversation and method: overall F1, F1 per category ("-" where absent), adversarial F1. */
    public static String locomo(List<Result> results) {
        StringBuilder sb = new StringBuilder(String.format("%-8s %-24s %8s %8s %8s %8s %8s %8s %9s%n", "conv",
                "method", "overall", "multi", "temporal", "open", "single", "adv", "advF1"));
        for (Result r : results) {
            Map<String, Double> f = r.breakdown(Metrics.Breakdowns.F1_BY_CATEGORY);
            sb.append(String.format("%-8s %-24s %8s", r.unit(), r.method().label(),
                    cell("%.4f", r.metricOr(Metrics.OVERALL_F1, Double.NaN))));
            for (String c : Metrics.LocomoCategories.NAMES) {
                sb.append(String.format(" %8s", cell("%.4f", f.getOrDefault(c, Double.NaN))));
            }
            sb.append(String.format(" %9s%n", cell("%.4f", r.metricOr(Metrics.ADVERSARIAL_F1, Double.NaN))));
        }
        return sb.toString();
    }

    /** The metric of the unit's {@code none} result, or NaN when none did not run for that unit. */
    public static double baseline(List<Result> results, String unit, String metric) {
        return results.stream().filter(r -> r.unit().equals(unit) && r.method().id().equals(Metrics.Methods.NONE))
                .mapToDouble(r -> r.metricOr(metric, Double.NaN)).findFirst().orElse(Double.NaN);
    }

    private static String variant(Result r) {
        return r.method().variant() != null ? r.method().variant() : r.method().label();
    }

    /** A number as {@code format}, or "-" where there is none (absent, or no baseline to subtract): never "NaN". */
    static String cell(String format, double value) {
        return Double.isFinite(value) ? String.format(format, value) : "-";
    }

    /** "50000:41.23 100000:-" (marks in order, a dash where the mark is past the stream's end); "" without marks. */
    static String marks(Result r) {
        java.util.TreeMap<Integer, String> cells = new java.util.TreeMap<>();
        r.breakdown(Metrics.Breakdowns.PPL_AT).forEach((m, v) -> cells.put(Integer.parseInt(m), cell("%.3f", v)));
        r.breakdown(Metrics.Breakdowns.PPL_AT_ABSENT).forEach((m, v) -> cells.put(Integer.parseInt(m), "-"));
        StringBuilder sb = new StringBuilder();
        cells.forEach((m, v) -> sb.append(sb.length() == 0 ? "" : " ").append(m).append(':').append(v));
        return sb.toString();
    }
}
