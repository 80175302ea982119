package org.locasbench.harness.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qameta.allure.Epic;
import io.qameta.allure.Feature;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.locasbench.harness.data.Pg19Book;
import org.locasbench.harness.data.Pg19Library;
import org.locasbench.locas.InitStrategy;
import org.locasbench.model.TestData;

/** Init-strategy ablation: every init strategy at two memory widths on the PG-19 protocol. */
@Epic("experiments")
@Feature("init-strategy ablation")
class AblationSuiteTest {
    static ExperimentConfig config;
    static ModelSession session;
    static Pg19Book book;
    static final Map<String, ObjectNode> RESULTS = new ConcurrentHashMap<>();

    @BeforeAll
    static void setUp() {
        System.setProperty("locas.data.dir", TestData.dataDir().toString());
        config = ConfigLoader.load("ablation", null, List.of("maxTokens=2048"), new Properties());
        session = ModelSession.open(ModelSession.resolveModel(config), config, "cpu");
        book = Pg19Library.load(TestData.dataDir().resolve("pg19/manifest.json")).book("10146");
    }

    @AfterAll
    static void tearDown() {
        session.close();
    }

    static Stream<Arguments> grid() {
        return Stream.of(16, 64).flatMap(w -> Stream.of("highest", "lowest", "random", "random_index")
                .map(i -> Arguments.of(i, w)));
    }

    @ParameterizedTest(name = "init={0}, width={1}")
    @MethodSource("grid")
    void strategyAtWidth(String init, int width) throws Exception {
        MethodSetup setup = MethodSetup.of(config, Method.LOCAS, InitStrategy.parse(init), width);
        ObjectNode r = StreamingExperiment.runBook(config, book, session, List.of(setup)).get(0);
        new ResultsWriter(AllureResults.resultsDir("ablation")).write(r.get("name").asText(), r);
        AllureResults.attach(r, AllureResults.curve("ablation: " + setup.label(), r, null));
        var m = r.get("metrics");
        assertThat(m.has("nll_after_1_windows") && m.has("nll_after_2_windows") && m.has("nll_after_4_windows"))
                .as("convergence metrics").isTrue();
        assertThat(m.get("params_added").asLong()).isEqualTo(3L * width * 256 * 8);
        assertThat(m.get("ppl").asDouble()).isBetween(20.0, 100.0);
        // strategies produce different memories, hence different streams of NLL (same width, same data)
        for (var e : RESULTS.entrySet()) {
            if (e.getKey().endsWith("/" + width)) {
                assertThat(m.get("ppl").asDouble()).as("%s vs %s at width %d", init, e.getKey(), width)
                        .isNotEqualTo(e.getValue().get("metrics").get("ppl").asDouble());
            }
        }
        RESULTS.put(init + "/" + width, r);
    }
}
