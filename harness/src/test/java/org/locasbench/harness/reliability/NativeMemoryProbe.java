package org.locasbench.harness.reliability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
import org.locasbench.model.adapter.TrainableAdapter;

/** Child-JVM body of {@link NativeMemoryTest}: 2,400 score-and-train windows, printing "RSS method windows KB". */
public final class NativeMemoryProbe {
    private NativeMemoryProbe() {}

    static long residentKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D+", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    public static void main(String[] args) throws Exception {
        try (Qwen3Model model = Qwen3Model.load(Path.of(args[0]))) {
            long[] ids = new java.util.Random(1).longs(2400 * 16, 0, 512).toArray();
            List<Window> plan = WindowPlan.of(ids.length, 16, 16);
            for (String method : new String[] {"locas", "lora"}) {
                StreamingProtocol.Run run = StreamingProtocol.run(model, ids, plan, (m, first) -> method.equals("locas")
                        ? Memorizer.memorize(m, first, 8, InitStrategy.HIGHEST, 0, Clipping.REPARAMETERIZE)
                        : LoraAdapter.create(m, LoraConfig.tempLora(4, 0)), org.locasbench.harness.ttt.TestTraining.locas(), r -> {
                            int done = r.index() + 1;
                            if (done == 400 || done == 1400 || done == 2400) {
                                System.gc();
                                try {
                                    System.out.println("RSS " + method + " " + done + " " + residentKb());
                                } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                }
                            }
                        });
                try (TrainableAdapter a = run.adapter()) {
                    System.out.println("DONE " + method + " " + run.windows().size());
                }
            }
        }
    }
}
