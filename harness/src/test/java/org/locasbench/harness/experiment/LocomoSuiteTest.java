package org.locasbench.harness.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qameta.allure.Allure;
import io.qameta.allure.Epic;
import io.qameta.allure.Feature;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.locasbench.harness.data.LocomoConversation;
import org.locasbench.harness.data.LocomoDataset;
import org.locasbench.harness.metrics.LocomoScoring;
import org.locasbench.model.TestData;

/** LoCoMo QA with date_split memorization on the bundled slice (conv-26, sessions 1-3, 25 QA). */
@Epic("experiments")
@Feature("LoCoMo QA")
class LocomoSuiteTest {
    static ExperimentConfig config;
    static ModelSession session;
    static LocomoConversation conversation;

    @BeforeAll
    static void setUp() {
        System.setProperty("locas.data.dir", TestData.dataDir().toString());
        config = ConfigLoader.load("locomo", null, List.of(), new Properties());
        session = ModelSession.open(ModelSession.resolveModel(config), config, "cpu");
        conversation = LocomoDataset.load(TestData.dataDir().resolve("locomo/locomo-mini.json")).get(0);
    }

    @AfterAll
    static void tearDown() {
        session.close();
    }

    @ParameterizedTest(name = "conv-26, method={0}")
    @ValueSource(strings = {"none", "long_context", "locas", "lora"})
    void methodAnswersEveryQuestion(String method) throws Exception {
        ExperimentConfig c = ConfigLoader.load("locomo", null, List.of("methods=" + method), new Properties());
        ObjectNode r = LocomoExperiment.runConversation(c, conversation, session).get(0);
        new ResultsWriter(AllureResults.resultsDir("locomo")).write(r.get("name").asText(), r);
        AllureResults.attach(r, LocomoExperiment.plot(r));
        JsonNode m = r.get("metrics");
        assertThat(m.get("questions").asInt()).isEqualTo(25);
        assertThat(m.get("f1_by_category").size()).isEqualTo(5);
        double sum = 0;
        for (JsonNode a : r.get("series").get("answers")) {
            double s = LocomoScoring.score(a.get("category").asInt(), a.get("prediction").asText(),
                    a.get("gold").asText());
            assertThat(a.get("score").asDouble()).isEqualTo(s).isBetween(0.0, 1.0);
            if (a.get("category").asInt() == 5) {
                assertThat(s).isIn(0.0, 1.0);
            }
            sum += s;
        }
        assertThat(m.get("overall_f1").asDouble()).isCloseTo(sum / 25, org.assertj.core.data.Offset.offset(1e-12));
        int visible = r.get("parameters").get("visible_tokens").asInt();
        assertThat(visible).isEqualTo(method.equals("long_context") ? c.longContext() : c.recentContext());
        if (method.equals("locas") || method.equals("lora")) {
            assertThat(m.get("params_added").asLong()).isPositive();
        }
        assertThat(m.get("seconds_per_question").asDouble()).isPositive()
                .isCloseTo(m.get("answer_seconds").asDouble() / 25, org.assertj.core.data.Offset.offset(1e-12));
        // each prompt (tail + question) fed once, then one token per generated token but the last
        assertThat(m.get("answer_tokens").asLong()).isGreaterThan(25L * Math.min(visible, m.get("dialogue_tokens")
                .asInt())).isLessThanOrEqualTo(25L * (visible + 200 + c.maxAnswerTokens()));
        Allure.parameter("questions", 25);
    }

    /** Memorizing reports sessions (all of them by the end), answering reports questions. */
    @Test
    void progressCountsSessionsMemorizedAndQuestionsAnswered() {
        ExperimentConfig c = ConfigLoader.load("locomo", null, List.of("methods=locas", "maxQuestions=3"),
                new Properties());
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            LocomoExperiment.runConversation(c, conversation, session, "1/1");
        } finally {
            System.setErr(err);
        }
        String progress = captured.toString(StandardCharsets.UTF_8);
        err.print(progress);
        int sessions = conversation.sessions().size();
        assertThat(progress).contains("conv-26 (1/1) locas").contains(" memorize [")
                .contains("] 100% " + sessions + "/" + sessions + " sessions, ")
                .contains(" answer [").contains("] 100% 3/3 questions, ").contains("ETA ");
        LocomoExperiment.Dialogue d = LocomoExperiment.tokenize(conversation, session);
        assertThat(d.sessionEnds()).hasSize(sessions).isSorted();
        assertThat(d.sessionEnds()[sessions - 1]).isEqualTo(d.ids().length);
        assertThat(LocomoExperiment.sessionsEndedBy(d, d.sessionEnds()[0] - 1)).isZero();
        assertThat(LocomoExperiment.sessionsEndedBy(d, d.sessionEnds()[0])).isEqualTo(1);
    }

    @Test
    void dateSplitWindowsNeverCrossADate() {
        LocomoExperiment.Dialogue d = LocomoExperiment.tokenize(conversation, session);
        assertThat(d.dateGroups()).hasSize(3); // sessions 1-3 are on three different dates
        for (var w : LocomoExperiment.dateSplitPlan(d, 256, 256)) {
            assertThat(d.dateGroups()).anySatisfy(g -> {
                assertThat(w.start()).isGreaterThanOrEqualTo(g[0]);
                assertThat(w.end()).isLessThanOrEqualTo(g[1]);
            });
        }
    }

    @Test
    void fullLocomoLoadsWithTheDocumentedCounts() {
        Path full = TestData.sharedData().resolve("locomo/locomo10.json");
        List<LocomoConversation> all = LocomoDataset.load(full);
        assertThat(all).hasSize(10);
        assertThat(all.stream().mapToInt(c -> c.qa().size()).sum()).isEqualTo(1986);
        assertThat(all.stream().mapToInt(c -> c.sessions().size()).sum()).isEqualTo(272);
        long[] perCategory = new long[6];
        all.forEach(c -> c.qa().forEach(q -> perCategory[q.category()]++));
        assertThat(perCategory).containsExactly(0, 282, 321, 96, 841, 446);
    }
}
