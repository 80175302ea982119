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
        // one overlaid curve plot for the book, with a line per method
        assertThat(count(dom, "<svg")).isEqualTo(1);
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

    private static int count(String text, String needle) {
        Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static String chromium(String... args) throws Exception {
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
