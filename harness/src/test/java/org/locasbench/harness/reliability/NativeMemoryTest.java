package org.locasbench.harness.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.locasbench.harness.protocol.Window;
import org.locasbench.harness.protocol.WindowPlan;
import org.locasbench.harness.ttt.StreamingProtocol;
import org.locasbench.harness.ttt.TrainingConfig;
import org.locasbench.locas.Clipping;
import org.locasbench.locas.InitStrategy;
import org.locasbench.locas.Memorizer;
import org.locasbench.lora.LoraAdapter;
import org.locasbench.lora.LoraConfig;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.TestData;
import org.locasbench.model.adapter.TrainableAdapter;

/** Thousands of score-and-train windows on the tiny model: resident memory stays flat (every array is scoped). */
class NativeMemoryTest {
    static long residentKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D+", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    /**
     * Per method: RSS after 400, 1,400 and 2,400 windows (GC first). A leak of native arrays grows linearly with the
     * windows; the bound allows the JVM heap to settle once but not a steady climb.
     */
    @Test
    void residentMemoryDoesNotGrowOverThousandsOfWindows() throws Exception {
        try (Qwen3Model model = Qwen3Model.load(TestData.fixture("tiny-qwen3"))) {
            long[] ids = new java.util.Random(1).longs(2400 * 16, 0, 512).toArray();
            List<Window> plan = WindowPlan.of(ids.length, 16, 16);
            for (String method : new String[] {"locas", "lora"}) {
                long[] rss = new long[3];
                StreamingProtocol.Run run = StreamingProtocol.run(model, ids, plan, (m, first) -> method.equals("locas")
                        ? Memorizer.memorize(m, first, 8, InitStrategy.HIGHEST, 0, Clipping.REPARAMETERIZE)
                        : LoraAdapter.create(m, LoraConfig.tempLora(4, 0)), TrainingConfig.locasDefaults(), r -> {
                            int done = r.index() + 1;
                            if (done == 400 || done == 1400 || done == 2400) {
                                System.gc();
                                try {
                                    rss[(done - 400) / 1000] = residentKb();
                                } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                }
                            }
                        });
                try (TrainableAdapter a = run.adapter()) {
                    assertThat(run.windows()).hasSize(2400);
                }
                System.out.printf("%s: RSS after 400 / 1,400 / 2,400 windows: %d / %d / %d MB%n", method,
                        rss[0] / 1024, rss[1] / 1024, rss[2] / 1024);
                assertThat(rss[2] - rss[1]).as("%s: growth over the last 1,000 windows (KB)", method)
                        .isLessThan(16 * 1024);
                assertThat(rss[2] - rss[0]).as("%s: growth over 2,000 windows (KB)", method).isLessThan(48 * 1024);
            }
        }
    }
}
