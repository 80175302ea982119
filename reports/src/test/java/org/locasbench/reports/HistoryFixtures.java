package org.locasbench.reports;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.locasbench.results.Environment;
import org.locasbench.results.HistoryRecord;
import org.locasbench.results.MetricHistory;
import org.locasbench.results.Metrics;
import org.locasbench.results.Result;
import org.locasbench.results.ResultFiles;

/** Results as other commits would have produced them, and a metric history built from such runs. */
final class HistoryFixtures {
    private HistoryFixtures() {}

    /** The sample results under src/test/resources/results. */
    static List<Result> samples() throws Exception {
        return ResultFiles.readDirectory(Path.of(HistoryFixtures.class.getResource("/results").toURI()));
    }

    /** {@code r} as if run at {@code commit} on {@code date} (ISO-8601), on {@code hardware} (null: unchanged). */
    static Result at(Result r, String commit, String date, Environment.Hardware hardware) {
        Environment e = r.environment();
        return new Result(r.schemaVersion(), r.experiment(), r.name(), r.unit(), r.method(), r.metrics(),
                r.breakdowns(), r.series(), r.answers(), new Environment(commit, date,
                        hardware != null ? hardware : e.hardware(), e.libraries()), r.config());
    }

    /** A 40-digit commit hash starting with {@code prefix}. */
    static String commit(String prefix) {
        return (prefix + "0".repeat(40)).substring(0, 40);
    }

    /** One run: every result at {@code commit} / {@code date}, each changed by {@code change}. */
    static List<Result> run(List<Result> results, String commit, String date, UnaryOperator<Result> change) {
        List<Result> out = new ArrayList<>();
        for (Result r : results) {
            out.add(change.apply(at(r, commit, date, null)));
        }
        return out;
    }

    /** Scales the PPL (and PPL@marks are left as they are) of the result named {@code name} by {@code factor}. */
    static UnaryOperator<Result> scalePpl(String name, double factor) {
        return r -> r.name().equals(name) ? r.withMetric(Metrics.PPL, r.requireMetric(Metrics.PPL) * factor) : r;
    }

    /** Appends the runs to {@code file} as the pipeline would, one after the other, and reads the history back. */
    static List<HistoryRecord> history(Path file, List<List<Result>> runs) throws Exception {
        for (List<Result> run : runs) {
            MetricHistory.append(file, MetricHistory.recordsOf(run, "ci-runner"));
        }
        return MetricHistory.read(file);
    }
}
