package org.locasbench.harness.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    /** Workers on four devices step one bar: no step is lost and the last line reports the total. */
    @Test
    void concurrentStepsAddUpAndTheLastLineIsComplete() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), "mmlu base",
                "questions", 4000, 0);
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            Thread t = new Thread(() -> {
                for (int i = 0; i < 500; i++) {
                    bar.step(2, 300);
                }
            });
            workers.add(t);
            t.start();
        }
        for (Thread t : workers) {
            t.join();
        }
        assertThat(bar.units()).isEqualTo(4000);
        assertThat(bar.tokens()).isEqualTo(600_000);
        String[] lines = bytes.toString(StandardCharsets.UTF_8).strip().split("\\R");
        // not a terminal under the build: about one line per 10%, the last at 100%
        assertThat(lines.length).isBetween(10, 12);
        assertThat(lines[lines.length - 1]).startsWith("mmlu base [" + "#".repeat(30) + "] 100% 4000/4000 questions, "
                + "600000 tokens, ").contains(" tok/s, ETA 0m00s");
    }

    @Test
    void windowsBarKeepsItsFormat() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), "10146 none", 2, 512);
        bar.step(256);
        bar.step(256);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("1/2 windows, 256/512 tokens, ")
                .contains("] 100% 2/2 windows, 512/512 tokens, ");
    }
}
