package org.locasbench.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locasbench.results.HistoryRecord;
import org.locasbench.results.Result;
import org.locasbench.results.plot.CurvePlot;

/**
 * Screenshots of the comparison page from {@link ReportFixtures} (real-scale shapes, made-up numbers): eight runs in the
 * metric history, baselines accepted at the third, a PG-19 PPL regression of Locas planted in the last. Kept in
 * {@code target/screenshots/}; with {@code -Dscreenshots.update=true} also copied to {@code reports/screenshots/} (the
 * committed ones the README shows).
 */
class ScreenshotsTest {
    static final int RUNS = 8;

    @Test
    void screenshotsOfTheTrendsAndThePapersFigures(@TempDir Path tmp) throws Exception {
        assumeTrue(Files.isExecutable(ComparisonPageBrowserTest.CHROMIUM), "skipped: chromium is not installed");
        assumeTrue(CurvePlot.canDraw(), "skipped: this Java cannot lay out text, so there are no charts");
        List<List<Result>> runs = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            runs.add(ReportFixtures.run(i, RUNS - 1));
        }
        Path baselines = tmp.resolve("baselines");
        BaselineGate.accept(baselines, set(runs.get(2)), ReportFixtures.commit(2));
        List<HistoryRecord> records = HistoryFixtures.history(tmp.resolve("metric-history.jsonl"), runs);
        ResultSet last = set(runs.get(RUNS - 1));
        String html = ComparisonPage.render(last, BaselineGate.compare(baselines, last), new Trends(records,
                Baselines.load(baselines), 10, "~/.cache/locas-bench/metric-history.jsonl", null),
                ReportFixtures.commit(RUNS - 1), "2026-01-26T08:30:00Z (fixture data, not measurements)");
        assertThat(html).contains("<tr class=\"regressed last\"");

        Path dir = Path.of("target", "screenshots").toAbsolutePath();
        Path pages = Path.of("target", "screenshot-pages").toAbsolutePath();
        Files.createDirectories(dir);
        Files.createDirectories(pages);
        Files.writeString(pages.resolve("index.html"), html, StandardCharsets.UTF_8);
        List<Path> shots = new ArrayList<>();
        // the page with only some sections shown (the h1 and the links stay): one picture each
        shots.add(shot(pages, dir, html, "trends", "#trends", 1120));
        shots.add(shot(pages, dir, html, "pg19", "#pg19", 1000));
        shots.add(shot(pages, dir, html, "ablation-mmlu", "#ablation,#mmlu", 1880));
        shots.add(shot(pages, dir, html, "locomo", "#locomo", 960));
        long bytes = 0;
        for (Path p : shots) {
            BufferedImage image = ImageIO.read(p.toFile());
            Set<Integer> colours = new HashSet<>();
            for (int y = 0; y < image.getHeight(); y += 5) {
                for (int x = 0; x < image.getWidth(); x += 5) {
                    colours.add(image.getRGB(x, y));
                }
            }
            assertThat(colours.size()).as(p + " is a rendered page, not a blank one").isGreaterThan(20);
            bytes += Files.size(p);
        }
        System.out.println("screenshots: " + shots + " (" + bytes / 1024 + " KiB)");
        if (Boolean.getBoolean("screenshots.update")) {
            Path committed = Path.of("screenshots").toAbsolutePath();
            Files.createDirectories(committed);
            for (Path p : shots) {
                Path target = committed.resolve(p.getFileName());
                if (!pngquant(p, target)) {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            System.out.println("copied to " + committed);
        }
    }

    /** A palette PNG (a third of the size) with pngquant where it is installed; false when it is not. */
    private static boolean pngquant(Path from, Path to) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("pngquant", "--quality=65-90", "--strip", "--force", "--output", to.toString(),
                    from.toString()).inheritIO().start();
        } catch (java.io.IOException e) {
            return false;
        }
        return p.waitFor() == 0;
    }

    private static ResultSet set(List<Result> results) {
        return new ResultSet(new TreeMap<>(results.stream().collect(Collectors.groupingBy(Result::experiment))));
    }

    /** Writes the page showing only {@code sections} (CSS selectors), screenshots it 1280 wide. */
    private static Path shot(Path pages, Path dir, String html, String name, String sections, int height)
            throws Exception {
        String only = html.replace("</style>", "section:not(" + sections.replace(",", "):not(") + "){display:none}"
                + "</style>");
        Path page = pages.resolve(name + ".html");
        Files.writeString(page, only, StandardCharsets.UTF_8);
        Path png = dir.resolve(name + ".png");
        ComparisonPageBrowserTest.chromium("--screenshot=" + png, "--window-size=1280," + height,
                "--hide-scrollbars", page.toUri().toString());
        return png;
    }
}
