package org.locasbench.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locasbench.results.HistoryRecord;
import org.locasbench.results.Result;
import org.locasbench.results.plot.CurvePlot;

/** The comparison page opened in a real headless Chromium: tables and plots render. Screenshot kept in target/. */
class ComparisonPageBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @Test
    void tablesAndPlotsRenderInHeadlessChromium() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "skipped: Debian's chromium is not installed (.ci/run installs it: "
                + "apt-get install chromium)");
        Path results = Path.of(getClass().getResource("/results").toURI());
        ResultSet set = ResultSet.load(List.of(results));
        Path dir = Path.of("target", "comparison-test").toAbsolutePath();
        Files.createDirectories(dir);
        Path page = dir.resolve("index.html");
        Files.writeString(page, ComparisonPage.render(set, List.of(), "test-commit", "now"), StandardCharsets.UTF_8);

        String dom = chromium("--dump-dom", page.toUri().toString());
        assertThat(dom).contains("<h2>PG-19 whole-book perplexity</h2>", "<section id=\"mmlu\">",
                "<section id=\"locomo\">");
        assertThat(count(dom, "<table class=\"results\">")).isEqualTo(3);
        assertThat(dom).contains("locas[highest,r=64]", "lora[r=16]", "locas-sidecar");
        // pg19: cumulative PPL, difference to none, per-window NLL (collapsed); mmlu: 2 bar charts; locomo: 1
        assertThat(count(dom, "<svg")).isEqualTo(6);
        assertThat(count(dom, "<path")).isGreaterThanOrEqualTo(3);

        Path shot = Path.of("target", "screenshots").toAbsolutePath().resolve("comparison.png");
        Files.createDirectories(shot.getParent());
        chromium("--screenshot=" + shot, "--window-size=1280,2000", page.toUri().toString());
        BufferedImage image = ImageIO.read(shot.toFile());
        assertThat(image.getWidth()).isEqualTo(1280);
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 7) {
            for (int x = 0; x < image.getWidth(); x += 7) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertThat(colours.size()).as("a rendered page, not a blank screenshot").isGreaterThan(20);
        System.out.println("comparison page screenshot: " + shot);
    }

    @Test
    void trendsOfThreeRunsShowThreePointsPerSeriesAndTheRegression(@TempDir Path tmp) throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "skipped: Debian's chromium is not installed");
        assumeTrue(CurvePlot.canDraw(), "skipped: this Java cannot lay out text, so there are no charts");
        List<Result> samples = HistoryFixtures.samples();
        Path baselines = tmp.resolve("baselines");
        BaselineGate.accept(baselines, ResultSet.load(List.of(Path.of(getClass().getResource("/results").toURI()))),
                "accepted");
        // three runs; the third makes Locas' PPL 10% worse (the tolerance is 2%)
        List<HistoryRecord> records = HistoryFixtures.history(tmp.resolve("metric-history.jsonl"), List.of(
                HistoryFixtures.run(samples, HistoryFixtures.commit("aaaa111"), "2026-01-20T09:30:00Z", r -> r),
                HistoryFixtures.run(samples, HistoryFixtures.commit("bbbb222"), "2026-01-21T09:30:00Z",
                        HistoryFixtures.scalePpl(TrendsTest.LOCAS, 0.995)),
                HistoryFixtures.run(samples, HistoryFixtures.commit("cccc333"), "2026-01-22T09:30:00Z",
                        HistoryFixtures.scalePpl(TrendsTest.LOCAS, 1.10))));
        List<Result> latest = HistoryFixtures.run(samples, HistoryFixtures.commit("cccc333"),
                "2026-01-22T09:30:00Z", HistoryFixtures.scalePpl(TrendsTest.LOCAS, 1.10));
        ResultSet set = new ResultSet(new java.util.TreeMap<>(latest.stream().collect(
                java.util.stream.Collectors.groupingBy(Result::experiment))));
        Trends trends = new Trends(records, Baselines.load(baselines), 10, "metric-history.jsonl", null);
        Path dir = Path.of("target", "comparison-trends-test").toAbsolutePath();
        Files.createDirectories(dir);
        Path page = dir.resolve("index.html");
        Files.writeString(page, ComparisonPage.render(set, BaselineGate.compare(baselines, set), trends,
                HistoryFixtures.commit("cccc333"), "now"), StandardCharsets.UTF_8);

        String dom = chromium("--dump-dom", page.toUri().toString());
        String chart = TrendsTest.block(dom, "trend-pg19-10146-ppl");
        assertThat(count(chart, "<svg")).isEqualTo(1);
        // every series (none, locas, lora on this machine and config) has its three points in the rendered SVG
        Matcher m = Pattern.compile("<g class=\"(point[^\"]*)\" data-series=\"([^\"]+)\" data-commit=\"(\\w+)\"")
                .matcher(chart);
        java.util.Map<String, List<String>> points = new java.util.TreeMap<>();
        List<String> regressed = new ArrayList<>();
        while (m.find()) {
            points.computeIfAbsent(m.group(2), k -> new ArrayList<>()).add(m.group(3));
            if (m.group(1).contains("regressed")) {
                regressed.add(m.group(2) + " @ " + m.group(3) + " " + m.group(1));
            }
        }
        assertThat(points).hasSize(3).allSatisfy((series, commits) -> assertThat(commits)
                .containsExactly("aaaa111", "bbbb222", "cccc333"));
        assertThat(regressed).singleElement().asString().startsWith("locas[highest,r=64]")
                .endsWith("@ cccc333 point regressed last");
        // the table beside it: the regressed run's row and cell
        assertThat(chart).contains("<tr class=\"regressed last\" data-commit=\"cccc333\">",
                "<td class=\"regressed\">46.1030</td>");
        // and the gate above agrees
        assertThat(dom).contains("pg19-10146-locas-highest-r-64", "REGRESSED");
    }

    private static int count(String text, String needle) {
        Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    static String chromium(String... args) throws Exception {
        Path profile = Files.createTempDirectory("chromium-profile");
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic", "--user-data-dir=" + profile, "--virtual-time-budget=5000"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        assertThat(p.exitValue()).as("chromium exit status").isZero();
        return out;
    }
}
