package org.locasbench.harness.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qameta.allure.Epic;
import io.qameta.allure.Feature;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.locasbench.harness.data.Pg19Book;
import org.locasbench.harness.data.Pg19Library;
import org.locasbench.harness.protocol.WindowPlan;
import org.locasbench.harness.protocol.WindowScorer;
import org.locasbench.model.TestData;
import org.locasbench.model.adapter.LayerAdapter;

/** PG-19 whole-book perplexity on the bundled model and a bundled test-split book, over {none, long_context, locas, lora}. */
@Epic("experiments")
@Feature("PG-19 whole-book perplexity")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class Pg19SuiteTest {
    static ExperimentConfig config;
    static ModelSession session;
    static Pg19Book book;
    static final Map<String, ObjectNode> RESULTS = new HashMap<>();

    @BeforeAll
    static void setUp() {
        System.setProperty("locas.data.dir", TestData.dataDir().toString());
        config = ConfigLoader.load("pg19", null, List.of("maxTokens=4096"), new Properties());
        session = ModelSession.open(ModelSession.resolveModel(config), config, "cpu");
        book = Pg19Library.load(TestData.dataDir().resolve("pg19/manifest.json")).book("10146");
    }

    @AfterAll
    static void tearDown() throws Exception {
        session.close();
        new ResultsWriter(AllureResults.resultsDir("pg19")).write("pg19-summary", summary());
    }

    static ObjectNode summary() {
        ObjectNode s = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        RESULTS.forEach((k, v) -> s.set(k, v.get("metrics")));
        return s.put("name", "pg19-summary");
    }

    static ObjectNode run(String method) throws Exception {
        MethodSetup setup = MethodSetup.of(config, Method.parse(method));
        ObjectNode r = StreamingExperiment.runBook(config, book, session, List.of(setup)).get(0);
        ObjectNode none = RESULTS.get("none");
        ObjectNode metrics = (ObjectNode) r.get("metrics");
        metrics.put("wall_relative_to_none", none == null ? 1.0 : metrics.get("wall_seconds").asDouble()
                / none.get("metrics").get("wall_seconds").asDouble());
        new ResultsWriter(AllureResults.resultsDir("pg19")).write(r.get("name").asText(), r);
        RESULTS.put(method, r);
        return r;
    }

    @Order(1)
    @ParameterizedTest(name = "PG-19 10146, method={0}")
    @ValueSource(strings = {"none", "long_context", "locas", "lora"})
    void methodOnBundledBook(String method) throws Exception {
        ObjectNode r = run(method);
        ObjectNode none = RESULTS.get("none");
        AllureResults.attach(r, AllureResults.curve("PG-19 10146: " + method, r, none));
        double ppl = r.get("metrics").get("ppl").asDouble();
        assertThat(r.get("metrics").get("tokens").asInt()).isEqualTo(4096);
        assertThat(r.get("metrics").get("ppl_at")).hasSize(4);
        switch (method) {
            case "none" -> {
                // the no-memory baseline is exactly frozen scoring of the same windows
                long[] ids = java.util.Arrays.copyOf(session.tokenizer().encode(Pg19Library.text(book)), 4096);
                double sum = 0;
                int n = 0;
                for (var w : WindowPlan.of(ids.length, config.window(), config.context())) {
                    for (float v : WindowScorer.score(session.model(), LayerAdapter.NONE, ids, w)) {
                        sum += v;
                        n++;
                    }
                }
                assertThat(ppl).isCloseTo(Math.exp(sum / n), org.assertj.core.data.Offset.offset(1e-9));
                assertThat(ppl).as("a trained LM on a held-out book").isBetween(20.0, 100.0);
            }
            case "long_context" -> assertThat(ppl).as("more context does not hurt much")
                    .isLessThan(none.get("metrics").get("ppl").asDouble() * 1.02);
            default -> {
                assertThat(ppl).as(method + " PPL < no-memory PPL")
                        .isLessThan(none.get("metrics").get("ppl").asDouble() * 0.97);
                assertThat(r.get("metrics").get("params_added").asLong()).isPositive();
                assertThat(r.get("series").get("window_nll").get(0).asDouble()).as("window 0 is scored before training")
                        .isEqualTo(none.get("series").get("window_nll").get(0).asDouble());
            }
        }
    }
}
