package org.locasbench.harness.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locasbench.harness.experiment.ConfigLoader;
import org.locasbench.harness.experiment.Experiments;
import org.locasbench.harness.experiment.Shard;
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
        var config = ConfigLoader.load("pg19", null, List.of("books=10146,10321", "methods=locas,lora",
                "loraDropout=0.1", "maxTokens=640", "window=128", "context=128", "devices=" + devices),
                new Properties());
        Map<String, double[]> out = new LinkedHashMap<>();
        for (JsonNode r : Experiments.run(config, Shard.ALL).results()) {
            JsonNode nll = r.get("series").get("window_nll");
            double[] series = new double[nll.size()];
            for (int i = 0; i < series.length; i++) {
                series[i] = nll.get(i).asDouble();
            }
            out.put(r.get("unit").asText() + " " + r.get("parameters").get("label").asText(), series);
        }
        return out;
    }
}
