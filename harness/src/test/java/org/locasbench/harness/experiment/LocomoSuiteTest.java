package org.locasbench.harness.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qameta.allure.Allure;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.locasbench.harness.config.ConfigLoader;
import org.locasbench.harness.config.LocomoSettings;
import org.locasbench.harness.data.LocomoConversation;
import org.locasbench.harness.data.LocomoDataset;
import org.locasbench.harness.method.MethodSetup;
import org.locasbench.model.TestData;
import org.locasbench.results.Answer;
import org.locasbench.results.Metrics;
import org.locasbench.results.Result;

/**
 * LoCoMo QA with date_split memorization on the bundled slice (conv-26, sessions 1-3, 25 QA), all four methods from
 * one run of the experiment.
 *
 * <p>The scores themselves come from {@code LocomoScoring}, whose hand-computed cases are in {@code MetricsTest}; this
 * suite does not re-score with it. It checks what is independent of the scoring function: the questions, gold
 * answers and category counts against the data file read here as plain JSON (not {@code LocomoDataset}); every
 * aggregate against the stored per-answer scores; per answer, rules that follow from LoCoMo's evaluation alone (an
 * exact answer scores 1, category 5 scores 1 exactly when the answer says "not mentioned" / "no information
 * available", no shared first letter means no shared token and F1 0); the parameters added against the paper's shapes;
 * and that memorizing (or a longer context) changes what the model answers.
 */
class LocomoSuiteTest {
    /** LoCoMo's categories 1..5, as the results name them. */
    static final List<String> CATEGORIES = List.of("multi_hop", "temporal", "open_domain", "single_hop", "adversarial");
    static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    static ConfigLoader.Layers layers;
    static LocomoSettings locomo;
    static Report report;
    static double seconds;
    static final Map<String, Result> RESULTS = new LinkedHashMap<>();
    /** The bundled conversation's QA as the file has them. */
    static JsonNode qa;
    static ModelSession session;
    static LocomoConversation conversation;

    @BeforeAll
    static void runTheExperimentOnce() throws Exception {
        System.setProperty("locas.data.dir", TestData.dataDir().toString());
        Path file = TestData.dataDir().resolve("locomo/locomo-mini.json");
        JsonNode raw = new ObjectMapper().readTree(file.toFile());
        assertThat(raw.size()).isEqualTo(1);
        assertThat(raw.get(0).get("sample_id").asText()).isEqualTo("conv-26");
        qa = raw.get(0).get("qa");
        layers = load("run.methods=none,long_context,locas,lora");
        locomo = layers.section("locomo", LocomoSettings.class);
        long t0 = System.nanoTime();
        report = ExperimentRunner.run(ExperimentKind.LOCOMO, layers, Shard.ALL);
        seconds = (System.nanoTime() - t0) / 1e9;
        report.write(AllureResults.resultsDir(Metrics.Experiments.LOCOMO));
        report.results().forEach(r -> RESULTS.put(r.method().id(), r));
        System.err.println(report.table());
        System.err.printf("locomo: one run of %d methods took %.1f s%n", RESULTS.size(), seconds);
        session = ModelSession.open(ModelSession.resolveModel(layers.common().run()), layers.common().run(), "cpu");
        conversation = LocomoDataset.load(file).get(0);
    }

    @AfterAll
    static void tearDown() {
        if (session != null) {
            session.close();
        }
    }

    @ParameterizedTest(name = "conv-26, method={0}")
    @ValueSource(strings = {"none", "long_context", "locas", "lora"})
    void methodAnswersEveryQuestion(String method) { // the name of before the redesign: Allure's history id stays
        Result r = RESULTS.get(method);
        assertThat(r).as("the one run has method %s; it has %s", method, RESULTS.keySet()).isNotNull();
        AllureResults.attach(r, report.plots().get(r.name() + "-answers"));
        Allure.parameter("questions", r.answers().size());
        assertThat(SuiteReferences.baselineNames(Metrics.Experiments.LOCOMO))
                .as("the regression gate's baselines key on the name").contains(r.name());

        // the questions, in the file's order, with the file's gold answers (category 5: the adversarial answer)
        assertThat(r.answers()).hasSize(qa.size());
        Map<String, List<Answer>> byCategory = new LinkedHashMap<>();
        Map<String, Integer> fileCounts = new LinkedHashMap<>();
        int exact = 0;
        int disjoint = 0;
        for (int i = 0; i < qa.size(); i++) {
            JsonNode q = qa.get(i);
            Answer a = r.answers().get(i);
            int category = q.get("category").asInt();
            String where = "question " + i + " (category " + category + ")";
            String gold = q.hasNonNull("answer") ? q.get("answer").asText() : q.get("adversarial_answer").asText();
            assertThat(a.question()).as(where).isEqualTo(q.get("question").asText());
            assertThat(a.group()).as(where).isEqualTo(CATEGORIES.get(category - 1));
            assertThat(a.gold()).as(where).isEqualTo(gold);
            byCategory.computeIfAbsent(a.group(), k -> new ArrayList<>()).add(a);
            fileCounts.merge(a.group(), 1, Integer::sum);
            assertThat(a.score()).as(where).isBetween(0.0, 1.0);
            if (category == 5) {
                // LoCoMo's evaluation.py scores an adversarial answer 1 exactly when it declines to answer
                String p = a.prediction().toLowerCase(Locale.ROOT);
                boolean declines = p.contains("not mentioned") || p.contains("no information available");
                assertThat(a.score()).as(where + ": '%s'", a.prediction()).isEqualTo(declines ? 1.0 : 0.0);
                assertThat(a.adversarialF1()).as(where).isNotNull().isBetween(0.0, 1.0);
            } else {
                assertThat(a.adversarialF1()).as(where).isNull();
                if (a.prediction().strip().equalsIgnoreCase(gold.strip()) && !gold.isBlank()
                        && (category != 3 || !gold.contains(";"))) {
                    assertThat(a.score()).as(where + ": the prediction is the gold answer").isEqualTo(1.0);
                    exact++;
                }
                // token F1 needs a shared (normalised, stemmed) token; stemming keeps a word's first letter
                if (Collections.disjoint(firstLetters(a.prediction()), firstLetters(gold))) {
                    assertThat(a.score()).as(where + ": '%s' vs '%s' share no token", a.prediction(), gold).isZero();
                    disjoint++;
                }
            }
        }
        System.err.printf("locomo %s: %d exact answers, %d without a shared first letter (scored 0)%n", method, exact,
                disjoint);

        // aggregates: means of the stored answers' scores (whatever scored them), counts from the file
        double overall = r.answers().stream().mapToDouble(Answer::score).average().orElseThrow();
        assertThat(r.requireMetric(Metrics.OVERALL_F1)).isCloseTo(overall, offset(1e-12));
        assertThat(r.requireMetric(Metrics.QUESTIONS)).isEqualTo(qa.size());
        assertThat(r.breakdown(Metrics.Breakdowns.F1_BY_CATEGORY).keySet()).containsExactlyInAnyOrderElementsOf(
                fileCounts.keySet());
        assertThat(fileCounts.keySet()).hasSize(5); // the slice has all five categories
        for (Map.Entry<String, List<Answer>> e : byCategory.entrySet()) {
            assertThat(r.breakdown(Metrics.Breakdowns.F1_BY_CATEGORY).get(e.getKey())).as(e.getKey())
                    .isCloseTo(e.getValue().stream().mapToDouble(Answer::score).average().orElseThrow(),
                            offset(1e-12));
            assertThat(r.breakdown(Metrics.Breakdowns.QUESTIONS_BY_CATEGORY).get(e.getKey())).as(e.getKey())
                    .isEqualTo((double) fileCounts.get(e.getKey()));
        }
        List<Answer> oneToFour = r.answers().stream().filter(a -> !a.group().equals("adversarial")).toList();
        assertThat(r.requireMetric(Metrics.OVERALL_F1_CATEGORIES_1_TO_4)).isCloseTo(oneToFour.stream()
                .mapToDouble(Answer::score).average().orElseThrow(), offset(1e-12));
        double adversarial = byCategory.get("adversarial").stream().mapToDouble(Answer::adversarialF1).average()
                .orElseThrow();
        assertThat(r.requireMetric(Metrics.ADVERSARIAL_F1)).isCloseTo(adversarial, offset(1e-12));
        assertThat(r.requireMetric(Metrics.ADVERSARIAL_NEGATIVE_F1)).isCloseTo(-adversarial, offset(1e-12));
        System.err.printf("locomo %s: overall_f1 %.4f, 1-4 %.4f, adversarial F1 %.4f%n", method, overall,
                r.requireMetric(Metrics.OVERALL_F1_CATEGORIES_1_TO_4), adversarial);

        long expectedParams = switch (method) {
            case "locas" -> SuiteReferences.locasParams(TestData.bundledModel(), layers.common().locas().width());
            case "lora" -> SuiteReferences.loraParams(TestData.bundledModel(), layers.common().lora().rank(),
                    layers.common().lora().targets());
            default -> 0;
        };
        assertThat(r.requireMetric(Metrics.PARAMS_ADDED)).isEqualTo((double) expectedParams);
        // every prompt holds the dialogue's tail: at least min(visible, dialogue) tokens fed per question
        int visible = method.equals("long_context") ? layers.common().window().longContext() : locomo.recentContext();
        assertThat(r.requireMetric("answer_tokens")).isGreaterThan(qa.size() * Math.min(visible,
                r.requireMetric(Metrics.DIALOGUE_TOKENS)));
        assertThat(r.requireMetric(Metrics.DIALOGUE_TOKENS)).isGreaterThan(layers.common().window().longContext());
    }

    /**
     * Memorizing the dialogue changes what the model answers (an untrained or detached memory, V = 0 / B = 0, would
     * answer exactly as none does), and so does seeing 1,024 instead of 128 tokens of it.
     */
    @Test
    void memoryAndLongerContextChangeTheAnswers() {
        List<String> none = predictions(RESULTS.get("none"));
        for (String m : List.of("long_context", "locas", "lora")) {
            List<String> other = predictions(RESULTS.get(m));
            int differ = 0;
            for (int i = 0; i < none.size(); i++) {
                differ += none.get(i).equals(other.get(i)) ? 0 : 1;
            }
            System.err.printf("locomo %s: %d/%d answers differ from none's%n", m, differ, none.size());
            assertThat(differ).as(m + ": answers that differ from none's").isPositive();
        }
    }

    /** Memorizing reports sessions (all of them by the end), answering reports questions. */
    @Test
    void progressCountsSessionsMemorizedAndQuestionsAnswered() {
        ConfigLoader.Layers c = load("run.methods=locas", "locomo.maxQuestions=3");
        LocomoExperiment e = (LocomoExperiment) ExperimentKind.LOCOMO.create(c);
        MethodSetup setup = e.methods(null, List.of(conversation)).get(0);
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Result r;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            r = e.run(conversation, setup, session);
        } finally {
            System.setErr(err);
        }
        String progress = captured.toString(StandardCharsets.UTF_8);
        err.print(progress);
        int sessions = conversation.sessions().size();
        assertThat(progress).contains("conv-26 locas[highest,r=64] memorize [")
                .contains("] 100% " + sessions + "/" + sessions + " sessions, ")
                .contains("conv-26 locas[highest,r=64] answer [").contains("] 100% 3/3 questions, ").contains("ETA ");
        assertThat(r.answers()).hasSize(3);
        LocomoExperiment.Dialogue d = LocomoExperiment.tokenize(conversation, session, org.locasbench.harness.config.LocomoSettings.PromptStyle.OFFICIAL);
        assertThat(d.sessionEnds()).hasSize(sessions).isSorted();
        assertThat(d.sessionEnds()[sessions - 1]).isEqualTo(d.ids().length);
        assertThat(LocomoExperiment.sessionsEndedBy(d, d.sessionEnds()[0] - 1)).isZero();
        assertThat(LocomoExperiment.sessionsEndedBy(d, d.sessionEnds()[0])).isEqualTo(1);
    }

    @Test
    void dateSplitWindowsNeverCrossADate() {
        LocomoExperiment.Dialogue d = LocomoExperiment.tokenize(conversation, session, org.locasbench.harness.config.LocomoSettings.PromptStyle.OFFICIAL);
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

    /**
     * The first characters of the words LoCoMo's normalisation can produce from {@code text} (a superset: lower-cased,
     * split at whitespace and ASCII punctuation). Normalisation deletes punctuation and drops whole words; Porter
     * stemming only rewrites a word's ending; so two texts whose sets are disjoint share no scored token.
     */
    static Set<Character> firstLetters(String text) {
        Set<Character> out = new HashSet<>();
        StringBuilder word = new StringBuilder();
        for (char ch : (text.toLowerCase(Locale.ROOT) + " ").toCharArray()) {
            if (Character.isWhitespace(ch) || PUNCTUATION.indexOf(ch) >= 0) {
                if (word.length() > 0) {
                    out.add(word.charAt(0));
                    word.setLength(0);
                }
            } else {
                word.append(ch);
            }
        }
        return out;
    }

    static List<String> predictions(Result r) {
        return r.answers().stream().map(Answer::prediction).toList();
    }

    static ConfigLoader.Layers load(String... settings) {
        return ConfigLoader.load(ExperimentKind.LOCOMO.id(), ExperimentKind.LOCOMO.sections(), null,
                Arrays.stream(settings).map(t -> ConfigLoader.Setting.parse(t, "--set")).toList(), new Properties());
    }
}
