package org.locasbench.harness.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.locasbench.model.TestData;

/**
 * Thousands of score-and-train windows on the tiny model keep resident memory flat: every array lives in a scope.
 * Measured in a child JVM whose heap is fixed and pre-touched, so RSS growth is native (libtorch) memory.
 */
class NativeMemoryTest {
    @Test
    void residentMemoryStaysFlatOverThousandsOfWindows() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch", "-Dai.djl.offline=true",
                "-cp", System.getProperty("java.class.path"), NativeMemoryProbe.class.getName(),
                TestData.fixture("tiny-qwen3").toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        Map<String, Long> rss = new HashMap<>();
        out.lines().filter(l -> l.startsWith("RSS ")).forEach(l -> {
            String[] f = l.split(" ");
            rss.put(f[1] + "@" + f[2], Long.parseLong(f[3]));
        });
        assertThat(out).contains("DONE locas 2400", "DONE lora 2400");
        for (String m : List.of("locas", "lora")) {
            long a = rss.get(m + "@400");
            long b = rss.get(m + "@1400");
            long c = rss.get(m + "@2400");
            System.out.printf("%s: RSS after 400 / 1,400 / 2,400 windows: %d / %d / %d MB%n", m, a >> 10, b >> 10,
                    c >> 10);
            assertThat(c - b).as("%s: RSS growth over the last 1,000 windows (KB)", m).isLessThan(16 * 1024);
            assertThat(c - a).as("%s: RSS growth over 2,000 windows (KB)", m).isLessThan(32 * 1024);
        }
    }
}
