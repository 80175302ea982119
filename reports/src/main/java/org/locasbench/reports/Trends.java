package org.locasbench.reports;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.locasbench.results.HistoryRecord;
import org.locasbench.results.Metrics.Experiments;

/**
 * The metric history arranged for the comparison page: one {@link Chart} per experiment, unit and headline metric,
 * x = the commits in order of first appearance in the history, one {@link Series} per result (method), machine and
 * config hash, each point judged against the accepted baseline.
 *
 * @param records the history, in file order
 * @param baselines the accepted baselines (line and tolerance band; a point beyond it is regressed)
 * @param tableCommits how many of the latest commits the table beside each chart lists
 * @param source where the history was read from (shown on the page)
 * @param error why the history could not be read (the page says so), or null
 */
public record Trends(List<HistoryRecord> records, Baselines baselines, int tableCommits, String source,
        String error) {

    /** At most this many commits along a chart's x axis (the latest ones). */
    public static final int CHART_COMMITS = 60;

    /** A commit on the x axis: its hash and the date of its latest record. */
    public record Commit(String hash, String date) {
        public String shortHash() {
            return hash.length() <= 7 ? hash : hash.substring(0, 7);
        }

        /** {@code b4bdd51 2026-01-20}. */
        public String label() {
            return shortHash() + " " + day(date);
        }
    }

    /** One value of a series at one commit (the latest record of the series at that commit). */
    public record Point(HistoryRecord record, double value, BaselineGate.Status status) {
        public boolean regressed() {
            return status == BaselineGate.Status.REGRESSED;
        }
    }

    /**
     * @param key {@link HistoryRecord#seriesKey()}
     * @param fullLabel method label, machine and config hash: {@code locas[highest,r=64] · cpu ×2 amd64 · cfg 1a2b3c4d}
     * @param label for the legend: the method label, plus the machine and config hash where they differ between the
     *     chart's series (else they are the chart's {@link Chart#common()})
     * @param result the result name (what the baselines are keyed by)
     * @param points by index into the chart's commits
     */
    public record Series(String key, String fullLabel, String label, String result, Map<Integer, Point> points) {}

    /**
     * @param id an HTML id: {@code trend-pg19-10146-ppl}
     * @param common the machine and config hash every series shares ({@code cpu ×2 amd64 · cfg 1a2b3c4d}), in part
     *     or whole, or "" when both vary
     * @param baselines the baseline of each series' result that tracks this metric, by result name
     */
    public record Chart(String id, String experiment, String unit, String metric, List<Commit> commits,
            List<Series> series, String common, Map<String, Baselines.Spec> baselines) {
        /** Index of the last commit: its points are the last run's. */
        public int last() {
            return commits.size() - 1;
        }
    }

    public static Trends empty() {
        return new Trends(List.of(), Baselines.none(), 10, null, null);
    }

    /** The page's order of experiments. */
    static final List<String> ORDER = List.of(Experiments.PG19, Experiments.ABLATION, Experiments.MMLU,
            Experiments.LOCOMO);

    /** Every chart, by experiment (page order, then others), unit and metric (order of first appearance). */
    public List<Chart> charts() {
        Map<String, String> commitDates = new LinkedHashMap<>();
        for (HistoryRecord r : records) {
            commitDates.put(r.commit(), r.date()); // insertion order = first appearance; the value = latest date
        }
        List<String> experiments = new ArrayList<>();
        for (String e : ORDER) {
            if (records.stream().anyMatch(r -> r.experiment().equals(e))) {
                experiments.add(e);
            }
        }
        records.stream().map(HistoryRecord::experiment).distinct().filter(e -> !ORDER.contains(e))
                .forEach(experiments::add);
        List<Chart> charts = new ArrayList<>();
        for (String experiment : experiments) {
            List<HistoryRecord> ofExperiment = records.stream().filter(r -> r.experiment().equals(experiment))
                    .toList();
            Set<String> units = new LinkedHashSet<>();
            ofExperiment.forEach(r -> units.add(r.unit()));
            for (String unit : units) {
                List<HistoryRecord> ofUnit = ofExperiment.stream().filter(r -> r.unit().equals(unit)).toList();
                Set<String> metrics = new LinkedHashSet<>();
                ofUnit.forEach(r -> metrics.addAll(r.metrics().keySet()));
                for (String metric : metrics) {
                    charts.add(chart(experiment, unit, metric, ofUnit, commitDates));
                }
            }
        }
        return charts;
    }

    private Chart chart(String experiment, String unit, String metric, List<HistoryRecord> ofUnit,
            Map<String, String> commitDates) {
        List<HistoryRecord> with = ofUnit.stream().filter(r -> r.metrics().containsKey(metric)).toList();
        Set<String> present = new LinkedHashSet<>();
        with.forEach(r -> present.add(r.commit()));
        List<String> hashes = commitDates.keySet().stream().filter(present::contains).toList();
        if (hashes.size() > CHART_COMMITS) {
            hashes = hashes.subList(hashes.size() - CHART_COMMITS, hashes.size());
        }
        Map<String, Integer> index = new LinkedHashMap<>();
        List<Commit> commits = new ArrayList<>();
        for (String h : hashes) {
            index.put(h, commits.size());
            commits.add(new Commit(h, commitDates.get(h)));
        }
        List<HistoryRecord> shown = with.stream().filter(r -> index.containsKey(r.commit())).toList();
        boolean oneMachine = shown.stream().map(r -> r.machine().key()).distinct().count() <= 1;
        boolean oneConfig = shown.stream().map(HistoryRecord::configHash).distinct().count() <= 1;
        List<String> common = new ArrayList<>();
        if (!shown.isEmpty() && oneMachine) {
            common.add(shown.get(0).machine().label());
        }
        if (!shown.isEmpty() && oneConfig) {
            common.add("cfg " + shown.get(0).shortConfigHash());
        }
        Map<String, Series> series = new LinkedHashMap<>();
        Map<String, Baselines.Spec> specs = new LinkedHashMap<>();
        for (HistoryRecord r : shown) {
            int x = index.get(r.commit());
            Series s = series.computeIfAbsent(r.seriesKey(), k -> new Series(k, r.label() + " · "
                    + r.machine().label() + " · cfg " + r.shortConfigHash(), r.label()
                    + (oneMachine ? "" : " · " + r.machine().label()) + (oneConfig ? "" : " · cfg "
                    + r.shortConfigHash()), r.result(), new LinkedHashMap<>()));
            double v = r.metrics().get(metric);
            Baselines.Spec spec = baselines.of(r.result(), metric);
            if (spec != null) {
                specs.putIfAbsent(r.result(), spec);
            }
            s.points().put(x, new Point(r, v, spec == null ? BaselineGate.Status.OK : spec.judge(v)));
        }
        String unitId = unit.length() <= 40 ? unit : Integer.toHexString(unit.hashCode()); // MMLU: all subjects
        String id = ("trend-" + experiment + "-" + unitId + "-" + metric).replaceAll("[^A-Za-z0-9_-]+", "-");
        return new Chart(id, experiment, unit, metric, commits, new ArrayList<>(series.values()),
                String.join(" · ", common), specs);
    }

    /** The number of distinct commits in the history. */
    public int commitCount() {
        return (int) records.stream().map(HistoryRecord::commit).distinct().count();
    }

    /** {@code 2026-01-20} from an ISO-8601 instant (the text itself if it does not parse). */
    static String day(String date) {
        try {
            return DateTimeFormatter.ISO_LOCAL_DATE.format(Instant.parse(date).atOffset(ZoneOffset.UTC));
        } catch (java.time.format.DateTimeParseException e) {
            return date;
        }
    }
}
