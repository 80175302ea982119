package org.locasbench.reports;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import org.locasbench.results.Environment;
import org.locasbench.results.HistoryRecord;
import org.locasbench.results.MetricHistory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What {@code mvn verify} does after the suites: the Allure HTML report (history carried over), the run's headline
 * metrics appended to the metric history ({@link MetricHistory}), the comparison page (with the trends across
 * commits), and the regression gate against {@code reports/baselines} (or, with {@code --accept}, new baselines).
 */
@Command(name = "report", mixinStandardHelpOptions = true)
public final class ReportPipeline implements Callable<Integer> {
    @Option(names = "--results", split = ",", required = true, description = "Directories with results JSON.")
    List<Path> results;

    @Option(names = "--allure-results", required = true)
    Path allureResults;

    @Option(names = "--allure-home", required = true)
    Path allureHome;

    @Option(names = "--history", required = true, description = "Folder that keeps Allure history between runs.")
    Path history;

    @Option(names = "--out", required = true)
    Path out;

    @Option(names = "--baselines", required = true)
    Path baselines;

    @Option(names = "--accept", arity = "1", defaultValue = "false", description = "Write new baselines.")
    boolean accept;

    @Option(names = "--skip-allure", arity = "1", defaultValue = "false")
    boolean skipAllure;

    @Option(names = "--metric-history", description = "JSON-lines file the headline metrics of every run are "
            + "appended to (default: -Dmetrics.history.file, else ~/.cache/locas-bench/metric-history.jsonl).")
    Path metricHistory;

    @Option(names = "--trend-commits", defaultValue = "10", description = "Commits listed in the table beside each "
            + "trend chart (default: ${DEFAULT-VALUE}).")
    int trendCommits;

    public static void main(String[] args) {
        int code = new CommandLine(new ReportPipeline()).execute(args);
        if (code != 0) {
            throw new IllegalStateException("report pipeline failed (see above)");
        }
    }

    @Override
    public Integer call() throws Exception {
        String commit = Environment.detectGitCommit();
        Files.createDirectories(out);
        ResultSet set;
        try {
            set = ResultSet.load(results);
        } catch (IllegalArgumentException e) { // a results file of another schema or a broken one: names the file
            System.err.println("error: " + e.getMessage());
            return 1;
        }
        if (accept) {
            for (Path f : BaselineGate.accept(baselines, set, commit)) {
                System.out.println("accepted new baseline " + f);
            }
        }
        List<BaselineGate.Row> rows = BaselineGate.compare(baselines, set);
        if (!skipAllure && Files.isDirectory(allureResults)) {
            new AllureRunner(allureHome).generate(allureResults, history, out, commit, rows);
            System.out.println("Allure report: " + out.resolve("allure/index.html") + " (serve over HTTP), "
                    + out.resolve("allure-single/index.html") + " (opens from file://)");
        }
        Trends trends = history(set);
        Path page = out.resolve("comparison/index.html");
        Files.createDirectories(page.getParent());
        Files.writeString(page, ComparisonPage.render(set, rows, trends, commit,
                ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)), StandardCharsets.UTF_8);
        System.out.println("comparison page: " + page);
        if (trends.error() != null) {
            System.err.println("error: " + trends.error());
            return 1;
        }
        if (!rows.isEmpty()) {
            System.out.println("\nmetrics against reports/baselines:\n" + BaselineGate.table(rows));
        }
        if (BaselineGate.failed(rows)) {
            System.err.println("REGRESSION: metrics moved beyond their tolerance (table above). If the change is "
                    + "intended, accept new baselines: mvn -B verify -Dbaselines.accept=true, and commit "
                    + "reports/baselines.");
            return 1;
        }
        return 0;
    }

    /**
     * Appends this run's records to the metric history and reads it back for the trends. A corrupt history is not
     * touched: the page says so and the pipeline fails (after the page and the gate), naming the file and line.
     */
    private Trends history(ResultSet set) throws java.io.IOException {
        Path file = metricHistory != null ? metricHistory : MetricHistory.defaultFile();
        Baselines accepted = Baselines.load(baselines);
        List<org.locasbench.results.Result> all = set.byExperiment().values().stream().flatMap(List::stream).toList();
        try {
            List<HistoryRecord> added = MetricHistory.append(file, MetricHistory.recordsOf(all,
                    MetricHistory.localHost()));
            List<HistoryRecord> records = MetricHistory.read(file);
            System.out.println("metric history: " + file + " (" + added.size() + " records appended, "
                    + records.size() + " in all)");
            return new Trends(records, accepted, trendCommits, file.toString(), null);
        } catch (IllegalArgumentException e) {
            return new Trends(List.of(), accepted, trendCommits, file.toString(), e.getMessage());
        }
    }
}
