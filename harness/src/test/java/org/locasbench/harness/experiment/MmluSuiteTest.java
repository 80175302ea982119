package org.locasbench.harness.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qameta.allure.Epic;
import io.qameta.allure.Feature;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.locasbench.harness.data.MmluDataset;
import org.locasbench.harness.data.MmluQuestion;
import org.locasbench.model.TestData;

/** MMLU by answer NLL, and forgetting after memorizing a book: base vs Locas (sidecar, fused) vs LoRA (merged). */
@Epic("experiments")
@Feature("MMLU forgetting")
class MmluSuiteTest {
    static ExperimentConfig config;
    static Map<String, MmluExperiment.Variant> variants = new TreeMap<>();
    static TreeMap<String, List<MmluQuestion>> test;
    static TreeMap<String, List<MmluQuestion>> dev;
    static final Map<String, ObjectNode> RESULTS = new ConcurrentHashMap<>();

    @BeforeAll
    static void setUp() throws Exception {
        System.setProperty("locas.data.dir", TestData.dataDir().toString());
        config = ConfigLoader.load("mmlu", null, List.of("maxTokens=2048"), new Properties());
        Path work = Files.createTempDirectory("mmlu-suite");
        for (MmluExperiment.Variant v : MmluExperiment.prepareVariants(config, ModelSession.resolveModel(config),
                work)) {
            variants.put(v.name(), v);
        }
        test = MmluDataset.load(TestData.dataDir().resolve("mmlu"), "test");
        dev = MmluDataset.load(TestData.dataDir().resolve("mmlu"), "dev");
    }

    @ParameterizedTest(name = "variant={0}")
    @ValueSource(strings = {"base", "locas-sidecar", "locas-dense", "lora-merged"})
    void accuracyOfVariant(String name) throws Exception {
        MmluExperiment.Variant v = variants.get(name);
        List<Map<String, Object>> perSubject = new ArrayList<>();
        try (ModelSession session = ModelSession.open(v.modelDir(), config, "cpu")) {
            for (String subject : test.keySet()) {
                perSubject.add(MmluExperiment.evaluateSubject(config, session, v, test.get(subject),
                        dev.get(subject)));
            }
        }
        ObjectNode r = MmluExperiment.record(config, v, new ArrayList<>(test.keySet()), perSubject);
        new ResultsWriter(AllureResults.resultsDir("mmlu")).write(r.get("name").asText(), r);
        AllureResults.attach(r, MmluExperiment.plot(r));
        RESULTS.put(name, r);
        var m = r.get("metrics");
        assertThat(m.get("questions").asInt()).isEqualTo(60);
        int correct = 0;
        for (int s = 0; s < perSubject.size(); s++) {
            @SuppressWarnings("unchecked")
            List<Integer> predictions = (List<Integer>) perSubject.get(s).get("predictions");
            List<MmluQuestion> qs = test.get(perSubject.get(s).get("subject"));
            for (int i = 0; i < predictions.size(); i++) {
                correct += predictions.get(i) == qs.get(i).answer() ? 1 : 0;
            }
        }
        assertThat(m.get("micro_accuracy").asDouble()).isEqualTo(correct / 60.0);
        if (name.startsWith("locas")) {
            String other = name.equals("locas-sidecar") ? "locas-dense" : "locas-sidecar";
            if (RESULTS.containsKey(other)) {
                assertThat(r.get("series").get("predictions")).as("sidecar and dense-fused answer identically")
                        .isEqualTo(RESULTS.get(other).get("series").get("predictions"));
                assertThat(m.get("micro_accuracy").asDouble())
                        .isEqualTo(RESULTS.get(other).get("metrics").get("micro_accuracy").asDouble());
            }
        }
        if (!name.equals("base")) {
            assertThat(m.get("params_added").asLong()).isPositive();
        }
        // " A".." D" are single tokens here: batched forwards, padding counted in the tokens fed
        assertThat(m.get("forwards").asInt()).isLessThan(60);
        assertThat(m.get("tokens").asLong()).isGreaterThanOrEqualTo(m.get("prompt_tokens").asLong());
        assertThat(m.get("questions_per_second").asDouble()).isPositive();
        assertThat(m.get("tokens_per_second").asDouble()).isPositive();
    }

    /** Subjects on two CPU "devices": one progress bar over all subjects of the variant, stepped by both workers. */
    @Test
    void runOnTwoDevicesCountsEveryQuestionInOneBar() throws Exception {
        ExperimentConfig c = ConfigLoader.load("mmlu", null, List.of("methods=none", "questionsPerSubject=5",
                "devices=cpu:0,cpu:1", "mmluBatchSize=2"), new Properties());
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        ExperimentReport report;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            report = MmluExperiment.run(c, Shard.ALL);
        } finally {
            System.setErr(err);
        }
        String progress = captured.toString(StandardCharsets.UTF_8);
        err.print(progress);
        assertThat(progress).contains("mmlu base [").contains("] 100% 15/15 questions, ");
        var m = report.results().get(0).get("metrics");
        assertThat(m.get("questions").asInt()).isEqualTo(15);
        assertThat(m.get("forwards").asInt()).isEqualTo(9); // 3 subjects x ceil(5 / 2)
        assertThat(m.get("elapsed_seconds").asDouble()).isPositive();
        assertThat(report.table()).contains("q/s", "tok/s");
    }
}
