package org.locasbench.harness.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locasbench.harness.config.ConfigLoader;
import org.locasbench.harness.config.ConfigLoader.Setting;
import org.locasbench.harness.experiment.ExperimentKind;
import org.locasbench.harness.experiment.ExperimentRunner;
import org.locasbench.harness.experiment.Shard;
import org.locasbench.results.Metrics;
import org.locasbench.results.Result;
import org.locasbench.model.TestData;

/**
 * Two books with Locas and LoRA (dropout on) trained at the same time by two CPU workers give per-window NLLs equal,
 * bit for bit, to the same books run one after the other on one worker: no random draw depends on what the other
 * worker thread does.
 */
class MultiWorkerDeterminismTest {
    @BeforeAll
    static void dataDir() {
        System.setProperty("locas.data.dir", TestData.dataDir().toString());
    }

    @Test
    void twoWorkersGiveTheSameWindowNllsAsOneWorker() throws Exception {
        Map<String, double[]> oneWorker = windowNlls("cpu");
        Map<String, double[]> twoWorkers = windowNlls("cpu:0,cpu:1");
        assertThat(twoWorkers.keySet()).containsExactlyElementsOf(oneWorker.keySet()).hasSize(4);
        for (String run : oneWorker.keySet()) {
            assertThat(twoWorkers.get(run)).as(run).hasSizeGreaterThan(2).isEqualTo(oneWorker.get(run));
        }
    }

    /** The per-window NLL series of every book x method of a PG-19 run on {@code devices}, keyed "book method". */
    private static Map<String, double[]> windowNlls(String devices) throws Exception {
        List<Setting> settings = List.of("pg19.books=10146,10321", "run.methods=locas,lora", "lora.dropout=0.1",
                "pg19.maxTokens=640", "window.size=128", "window.context=128", "run.devices=" + devices).stream()
                .map(kv -> Setting.parse(kv, "test")).toList();
        var layers = ConfigLoader.load("pg19", ExperimentKind.PG19.sections(), null, settings, new Properties());
        Map<String, double[]> out = new LinkedHashMap<>();
        for (Result r : ExperimentRunner.run(ExperimentKind.PG19, layers, Shard.ALL).results()) {
            double[] series = r.series(Metrics.Series.WINDOW_NLL).stream().mapToDouble(Double::doubleValue).toArray();
            out.put(r.unit() + " " + r.method().label(), series);
        }
        return out;
    }
}
