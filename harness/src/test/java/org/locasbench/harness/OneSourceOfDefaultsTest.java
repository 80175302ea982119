package org.locasbench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locasbench.model.TestData;
import org.locasbench.results.Metrics;
import org.locasbench.results.Result;
import org.locasbench.results.ResultFiles;

/**
 * {@code ttt} and {@code run pg19} build their Locas run from the same settings ({@code MethodSetup}, defaults from
 * {@code experiments/common.yaml}): given the same book, token count, window, context, width and learning rate, the
 * command and the experiment produce the same per-window NLL, bit for bit. Every setting not given (init, clipping,
 * loss, steps, betas, epsilon, seed, precision) comes from the defaults on both sides, so a second source of defaults
 * on either side would show here.
 */
class OneSourceOfDefaultsTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void dataDir() {
        System.setProperty("locas.data.dir", TestData.dataDir().toString());
    }

    @Test
    void tttAndRunPg19GiveTheSameWindowNll() throws Exception {
        Path json = tmp.resolve("ttt.json");
        CliTest.Result ttt = CliTest.run("ttt", "--book", "10146", "--max-tokens", "1024", "--window", "128",
                "--context", "96", "--width", "16", "--lr", "0.02", "--json", json.toString());
        assertThat(ttt.code()).as(ttt.err()).isZero();
        Path out = tmp.resolve("run");
        CliTest.Result run = CliTest.run("run", "pg19", "--set", "run.methods=locas", "--set", "pg19.books=10146",
                "--set", "pg19.maxTokens=1024", "--set", "window.size=128", "--set", "window.context=96", "--set",
                "locas.width=16", "--set", "locas.lr=0.02", "--out", out.toString());
        assertThat(run.code()).as(run.err()).isZero();

        List<Double> fromTtt = new ArrayList<>();
        for (JsonNode w : new ObjectMapper().readTree(json.toFile()).get("windows")) {
            fromTtt.add(w.get("nll").asDouble());
        }
        Result result = ResultFiles.read(out.resolve("pg19-10146-locas-highest-r-16.json"));
        List<Double> fromRun = result.series(Metrics.Series.WINDOW_NLL);
        assertThat(fromTtt).as("1024 tokens in windows of 128").hasSize(8);
        assertThat(fromRun).as("run pg19's window NLL vs ttt's").containsExactlyElementsOf(fromTtt);
    }
}
