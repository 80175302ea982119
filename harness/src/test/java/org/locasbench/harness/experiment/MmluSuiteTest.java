package org.locasbench.harness.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.qameta.allure.Allure;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.locasbench.harness.config.ConfigLoader;
import org.locasbench.harness.config.MmluSettings;
import org.locasbench.harness.config.RunSettings;
import org.locasbench.harness.data.MmluQuestion;
import org.locasbench.locas.LocasMemory;
import org.locasbench.locas.MemoryFile;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.TestData;
import org.locasbench.model.adapter.LayerAdapter;
import org.locasbench.results.Answer;
import org.locasbench.results.Metrics;
import org.locasbench.results.Result;

/**
 * MMLU by answer NLL, and forgetting after memorizing a book: base vs Locas (sidecar, fused by to_dense) vs LoRA
 * (merged), all four variants from ONE run of the experiment ({@code run.methods=[none, locas, lora]}).
 *
 * <p>What is checked against something the experiment did not compute itself: the gold letters and accuracies
 * against the CSV files read here with a small CSV reader of this class (not {@code MmluDataset}); the stored
 * predictions of the first {@link #REFERENCE_PER_SUBJECT} questions of each subject against the argmin of option NLLs
 * computed here without {@link OptionScorer} (each prompt alone through the model, full logits, log-softmax of the last
 * position in double precision: no batching, padding, sorting or gathering), on each variant's own weights and memory;
 * the prompt tokens against the prompts tokenized here; the parameters added against the paper's shapes on the model's
 * {@code config.json}; sidecar against fused (to_dense is exact) in the same run, with no skip; and the memories
 * against the base model: a memory that was not trained, not saved or not loaded leaves every NLL equal to base's.
 */
class MmluSuiteTest {
    static final String LETTERS = "ABCD";
    /** The forgetting book's first tokens memorized (as the suite always ran; the baselines were taken so). */
    static final int FORGETTING_TOKENS = 2048;
    /** Questions per subject also scored by {@link #referenceNll} (one unbatched forward each, per variant). */
    static final int REFERENCE_PER_SUBJECT = 8;

    /** One row of an MMLU CSV as this test reads it. */
    record Row(String question, List<String> choices, String gold) {}

    static ConfigLoader.Layers layers;
    static MmluSettings mmlu;
    static KeepVariants experiment;
    static Report report;
    static final Map<String, Result> RESULTS = new LinkedHashMap<>();
    /** subject -> test rows / dev rows, from the CSVs, subjects sorted as file names. */
    static TreeMap<String, List<Row>> test;
    static TreeMap<String, List<Row>> dev;
    /** variant -> [reference question (subjects in order, first rows in order)][option]: {@link #referenceNll}. */
    static final Map<String, double[][]> REFERENCE_NLL = new LinkedHashMap<>();
    static long referencePromptTokens;
    static double seconds;

    @BeforeAll
    static void runTheExperimentOnce() throws Exception {
        System.setProperty("locas.data.dir", TestData.dataDir().toString());
        test = readCsvs(TestData.dataDir().resolve("mmlu/test"), "test");
        dev = readCsvs(TestData.dataDir().resolve("mmlu/dev"), "dev");
        layers = load("run.methods=none,locas,lora", "mmlu.forgettingMaxTokens=" + FORGETTING_TOKENS);
        mmlu = layers.section("mmlu", MmluSettings.class);
        experiment = new KeepVariants(new MmluExperiment(layers.common(), mmlu, layers.tree()));
        long t0 = System.nanoTime();
        report = ExperimentRunner.run(experiment, layers.common().run(), Shard.ALL);
        seconds = (System.nanoTime() - t0) / 1e9;
        report.write(AllureResults.resultsDir(Metrics.Experiments.MMLU));
        report.results().forEach(r -> RESULTS.put(r.method().variant(), r));
        System.err.println(report.table());
        long t1 = System.nanoTime();
        for (MmluExperiment.Variant v : experiment.variants) {
            REFERENCE_NLL.put(v.name(), referenceNll(v, layers.common().run()));
        }
        System.err.printf("mmlu: the experiment took %.1f s, the reference NLLs of %d variants %.1f s%n",
                seconds, experiment.variants.size(), (System.nanoTime() - t1) / 1e9);
    }

    @AfterAll
    static void removeVariants() throws Exception {
        if (experiment != null) {
            experiment.delegate.cleanUp();
        }
    }

    @ParameterizedTest(name = "variant={0}")
    @ValueSource(strings = {"base", "locas-sidecar", "locas-dense", "lora-merged"})
    void accuracyOfVariant(String variant) { // the name of before the redesign: Allure's history id stays
        Result r = RESULTS.get(variant);
        assertThat(r).as("the one run has variant %s; it has %s", variant, RESULTS.keySet()).isNotNull();
        AllureResults.attach(r, report.plots().get(r.name() + "-subjects"));
        Allure.parameter("questions", r.answers().size());
        assertThat(r.name()).isEqualTo("mmlu-" + variant);
        assertThat(SuiteReferences.baselineNames(Metrics.Experiments.MMLU))
                .as("the regression gate's baselines key on the name").contains(r.name());

        int total = test.values().stream().mapToInt(List::size).sum();
        assertThat(r.answers()).hasSize(total); // questionsPerSubject = null: every CSV row
        double[][] reference = REFERENCE_NLL.get(variant);
        int i = 0;
        int correct = 0;
        double macro = 0;
        int decided = 0;
        for (Map.Entry<String, List<Row>> subject : test.entrySet()) {
            List<Answer> answers = r.answers().stream().filter(a -> a.group().equals(subject.getKey())).toList();
            assertThat(answers).as(subject.getKey()).hasSize(subject.getValue().size());
            int subjectCorrect = 0;
            for (int k = 0; k < answers.size(); k++) {
                Answer a = answers.get(k);
                Row row = subject.getValue().get(k);
                String where = subject.getKey() + " #" + k;
                assertThat(a.question()).as(where).isEqualTo(row.question());
                assertThat(a.gold()).as(where + ": gold letter from the CSV").isEqualTo(row.gold());
                assertThat(a.prediction()).as(where).isIn("A", "B", "C", "D");
                boolean right = a.prediction().equals(row.gold());
                assertThat(a.score()).as(where + ": score of %s vs gold %s", a.prediction(), row.gold())
                        .isEqualTo(right ? 1.0 : 0.0);
                subjectCorrect += right ? 1 : 0;
                if (k >= REFERENCE_PER_SUBJECT) {
                    continue;
                }
                // the experiment's (batched) answer is the reference's argmin; near-ties (< 1e-4 nats, float
                // tolerance between the two computations) could go either way and are not compared
                double[] nll = reference[i++];
                int best = OptionScorer.argmin(nll);
                double second = Double.POSITIVE_INFINITY;
                for (int o = 0; o < 4; o++) {
                    if (o != best) {
                        second = Math.min(second, nll[o]);
                    }
                }
                if (second - nll[best] > 1e-4) {
                    assertThat(a.prediction()).as(where + ": reference NLL %s", Arrays.toString(nll))
                            .isEqualTo(String.valueOf(LETTERS.charAt(best)));
                    decided++;
                }
            }
            correct += subjectCorrect;
            macro += (double) subjectCorrect / answers.size();
            assertThat(r.breakdown(Metrics.Breakdowns.ACCURACY_BY_SUBJECT).get(subject.getKey())).as(subject.getKey())
                    .isCloseTo((double) subjectCorrect / subject.getValue().size(), offset(1e-12));
            assertThat(r.breakdown(Metrics.Breakdowns.QUESTIONS_BY_SUBJECT).get(subject.getKey()))
                    .isEqualTo((double) subject.getValue().size());
        }
        assertThat(i).isEqualTo(reference.length);
        assertThat(decided).as("reference questions without a near-tie").isGreaterThan(reference.length * 9 / 10);
        assertThat(r.requireMetric(Metrics.QUESTIONS)).isEqualTo(total);
        assertThat(r.requireMetric(Metrics.MICRO_ACCURACY)).isCloseTo((double) correct / total, offset(1e-12));
        assertThat(r.requireMetric(Metrics.MACRO_ACCURACY)).isCloseTo(macro / test.size(), offset(1e-12));
        System.err.printf("mmlu %s: %d/%d correct (micro %.4f)%n", variant, correct, total, (double) correct / total);

        // parameters added, from the paper's shapes and the model's config.json: Locas G~, K~, V~ of [r, hidden] per
        // layer; LoRA A [r, in] and B [out, r] per target projection per layer
        assertThat(r.requireMetric(Metrics.PARAMS_ADDED)).isEqualTo((double) expectedParamsAdded(variant));

        // the tokens computed, counted here from the prompts tokenized here (a subject's shared prefix once); " A"..
        // " D" are single tokens, so one prefix forward + ceil(questions / batchSize) forwards per subject (no prompt
        // is near mmlu.batchTokens)
        assertThat(r.requireMetric("prompt_tokens")).isEqualTo((double) referencePromptTokens);
        assertThat(r.requireMetric(Metrics.TOKENS)).isGreaterThanOrEqualTo(referencePromptTokens);
        long forwards = test.values().stream().mapToLong(q -> 1 + (q.size() + mmlu.batchSize() - 1)
                / mmlu.batchSize()).sum();
        assertThat(r.requireMetric("forwards")).isEqualTo((double) forwards);
        assertThat(r.requireMetric(Metrics.QUESTIONS_PER_SECOND)).isPositive();
        assertThat(r.requireMetric(Metrics.TOKENS_PER_SECOND)).isPositive();
    }

    /** to_dense is exact: the fused checkpoint answers every question as the sidecar does, to the NLL. */
    @Test
    void locasSidecarAndDenseFusedGiveIdenticalAnswers() {
        List<String> sidecar = predictions(RESULTS.get("locas-sidecar"));
        List<String> dense = predictions(RESULTS.get("locas-dense"));
        assertThat(sidecar).hasSize(test.values().stream().mapToInt(List::size).sum());
        assertThat(dense).as("locas-dense predictions == locas-sidecar predictions").isEqualTo(sidecar);
        assertThat(RESULTS.get("locas-dense").requireMetric(Metrics.MICRO_ACCURACY))
                .isEqualTo(RESULTS.get("locas-sidecar").requireMetric(Metrics.MICRO_ACCURACY));
        double[][] s = REFERENCE_NLL.get("locas-sidecar");
        double[][] d = REFERENCE_NLL.get("locas-dense");
        double maxDiff = maxAbsDiff(s, d);
        System.err.printf("mmlu: max |NLL sidecar - NLL dense| = %.3g%n", maxDiff);
        assertThat(maxDiff).as("reference NLL, sidecar vs fused").isLessThan(1e-4);
    }

    /**
     * The memories change the model: after memorizing the book each trained variant's option NLLs differ from the base
     * model's (an untrained, unsaved or unloaded memory, V = 0 / B = 0, would leave every NLL equal to base's, and
     * sidecar == dense would then hold trivially).
     */
    @Test
    void memorizingTheBookChangesTheOptionNlls() {
        double[][] base = REFERENCE_NLL.get("base");
        for (String v : List.of("locas-sidecar", "locas-dense", "lora-merged")) {
            double diff = maxAbsDiff(base, REFERENCE_NLL.get(v));
            long changed = 0;
            for (int i = 0; i < base.length; i++) {
                if (maxAbsDiff(new double[][] {base[i]}, new double[][] {REFERENCE_NLL.get(v)[i]}) > 1e-3) {
                    changed++;
                }
            }
            List<String> differing = new ArrayList<>();
            List<String> b = predictions(RESULTS.get("base"));
            List<String> p = predictions(RESULTS.get(v));
            for (int i = 0; i < b.size(); i++) {
                if (!b.get(i).equals(p.get(i))) {
                    differing.add(String.valueOf(i));
                }
            }
            System.err.printf("mmlu %s vs base: max |dNLL| %.4f nats, %d/%d questions' NLLs changed by > 1e-3, "
                    + "%d predictions differ%n", v, diff, changed, base.length, differing.size());
            assertThat(diff).as(v + " vs base: max |option NLL difference|").isGreaterThan(1e-2);
            assertThat(changed).as(v + ": questions whose option NLLs moved").isGreaterThan(base.length / 2);
        }
    }

    /** Subjects on two CPU "devices": one progress bar over all subjects of the variant, stepped by both workers. */
    @Test
    void runOnTwoDevicesCountsEveryQuestionInOneBar() throws Exception {
        ConfigLoader.Layers c = load("run.methods=none", "mmlu.questionsPerSubject=5", "run.devices=cpu:0,cpu:1",
                "mmlu.batchSize=2");
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Report two;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            two = ExperimentRunner.run(ExperimentKind.MMLU, c, Shard.ALL);
        } finally {
            System.setErr(err);
        }
        String progress = captured.toString(StandardCharsets.UTF_8);
        err.print(progress);
        assertThat(progress).contains("mmlu base [").contains("] 100% 15/15 questions, ");
        assertThat(two.results()).hasSize(1);
        Result r = two.results().get(0);
        assertThat(r.requireMetric(Metrics.QUESTIONS)).isEqualTo(15);
        assertThat(r.requireMetric("forwards")).isEqualTo(12); // 3 subjects x (prefix + ceil(5 / 2))
        assertThat(r.requireMetric(Metrics.WALL_SECONDS)).isPositive();
        // the first five rows of each subject, in the CSV's order, whichever worker ran them
        List<String> expected = new ArrayList<>();
        test.forEach((s, rows) -> rows.subList(0, 5).forEach(row -> expected.add(s + ": " + row.question() + " -> "
                + row.gold())));
        assertThat(r.answers()).extracting(a -> a.group() + ": " + a.question() + " -> " + a.gold())
                .containsExactlyElementsOf(expected);
        // same model, same prompts as the one-device base run: the same answers
        List<String> oneDevice = new ArrayList<>();
        test.keySet().forEach(s -> RESULTS.get("base").answers().stream().filter(a -> a.group().equals(s)).limit(5)
                .forEach(a -> oneDevice.add(a.prediction())));
        assertThat(predictions(r)).isEqualTo(oneDevice);
        assertThat(two.table()).contains("q/s", "tok/s");
    }

    /** One run made every variant; the trained ones name the book they memorized. */
    @Test
    void oneRunProducedEveryVariant() {
        assertThat(RESULTS.keySet()).containsExactly("base", "locas-sidecar", "locas-dense", "lora-merged");
        assertThat(experiment.variants).extracting(MmluExperiment.Variant::name)
                .containsExactly("base", "locas-sidecar", "locas-dense", "lora-merged");
        for (String v : List.of("locas-sidecar", "locas-dense", "lora-merged")) {
            assertThat(RESULTS.get(v).method().forgettingBook()).isEqualTo(mmlu.forgettingBook());
        }
        assertThat(RESULTS.get("base").method().forgettingBook()).isNull();
    }

    // ---- the independent references -------------------------------------------------------------------------------

    /**
     * The option NLLs of the first {@link #REFERENCE_PER_SUBJECT} questions of each subject on the variant's weights
     * (and sidecar memory), without {@link OptionScorer}: the prompt alone through {@code model.logits} (every position
     * through the LM head, no padding), then {@code -log softmax} of the last position's logits at " A".." D", in
     * double precision. Counts every question's prompt tokens on the way.
     */
    static double[][] referenceNll(MmluExperiment.Variant v, RunSettings run) {
        List<double[]> out = new ArrayList<>();
        long promptTokens = 0;
        try (ModelSession session = ModelSession.open(v.modelDir(), run, "cpu")) {
            LocasMemory memory = v.memoryFile() == null ? null : MemoryFile.load(v.memoryFile(), session.model());
            try {
                LayerAdapter adapter = memory == null ? LayerAdapter.NONE : memory;
                int[] options = new int[4];
                for (int o = 0; o < 4; o++) {
                    long[] ids = session.tokenizer().encode(" " + LETTERS.charAt(o));
                    assertThat(ids).as("' %s' is one token", LETTERS.charAt(o)).hasSize(1);
                    options[o] = (int) ids[0];
                }
                for (Map.Entry<String, List<Row>> s : test.entrySet()) {
                    List<MmluQuestion> shots = dev.get(s.getKey()).subList(0, mmlu.shots()).stream()
                            .map(row -> question(s.getKey(), row)).toList();
                    // mmlu.sharePrefix (the default): header + shots are computed once per subject
                    long[] prefix = session.tokenizer().encode(MmluExperiment.prefix(s.getKey(), shots));
                    promptTokens += prefix.length;
                    for (int k = 0; k < s.getValue().size(); k++) {
                        long[] prompt = session.tokenizer().encode(MmluExperiment.prompt(question(s.getKey(),
                                s.getValue().get(k)), shots));
                        assertThat(Arrays.copyOf(prompt, prefix.length)).as("prompt starts with the prefix's ids")
                                .isEqualTo(prefix);
                        promptTokens += prompt.length - prefix.length;
                        if (k < REFERENCE_PER_SUBJECT) {
                            out.add(lastPositionNll(session.model(), adapter, prompt, options));
                        }
                    }
                }
            } finally {
                if (memory != null) {
                    memory.close();
                }
            }
        }
        referencePromptTokens = promptTokens;
        return out.toArray(double[][]::new);
    }

    static double[] lastPositionNll(Qwen3Model model, LayerAdapter adapter, long[] prompt, int[] options) {
        try (NDManager scope = model.manager().newSubManager()) {
            NDArray logits = model.logits(scope.create(prompt, new Shape(1, prompt.length)), 0, adapter, null);
            float[] last = logits.get(0, prompt.length - 1).toFloatArray();
            double max = Double.NEGATIVE_INFINITY;
            for (float x : last) {
                max = Math.max(max, x);
            }
            double sum = 0;
            for (float x : last) {
                sum += Math.exp(x - max);
            }
            double logSumExp = max + Math.log(sum);
            double[] nll = new double[options.length];
            for (int o = 0; o < options.length; o++) {
                nll[o] = logSumExp - last[options[o]];
            }
            return nll;
        }
    }

    static MmluQuestion question(String subject, Row row) {
        return new MmluQuestion(subject, row.question(), row.choices(), LETTERS.indexOf(row.gold()));
    }

    static long expectedParamsAdded(String variant) {
        if (variant.startsWith("locas")) {
            return SuiteReferences.locasParams(TestData.bundledModel(), layers.common().locas().width());
        }
        if (variant.startsWith("lora")) {
            return SuiteReferences.loraParams(TestData.bundledModel(), layers.common().lora().rank(),
                    layers.common().lora().targets());
        }
        return 0;
    }

    /**
     * The CSVs of one split, {@code <subject>_<split>.csv}: RFC 4180 fields (double quotes around fields with commas,
     * quotes or line breaks; {@code ""} is a quote), header {@code question,choice0..3,answer}, answer 0-3 or A-D.
     */
    static TreeMap<String, List<Row>> readCsvs(Path folder, String split) throws IOException {
        TreeMap<String, List<Row>> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.filter(p -> p.toString().endsWith("_" + split + ".csv")).sorted().toList()) {
                String name = f.getFileName().toString();
                List<Row> rows = new ArrayList<>();
                for (List<String> fields : parseCsv(Files.readString(f, StandardCharsets.UTF_8))) {
                    if (rows.isEmpty() && fields.get(0).equals("question")) {
                        continue;
                    }
                    assertThat(fields).as(name).hasSize(6);
                    String answer = fields.get(5).trim();
                    String gold = answer.matches("[0-3]") ? String.valueOf(LETTERS.charAt(Integer.parseInt(answer)))
                            : answer;
                    assertThat(gold).as(name).isIn("A", "B", "C", "D");
                    rows.add(new Row(fields.get(0), List.copyOf(fields.subList(1, 5)), gold));
                }
                out.put(name.substring(0, name.length() - ("_" + split + ".csv").length()), rows);
            }
        }
        assertThat(out).as(folder.toString()).isNotEmpty();
        return out;
    }

    static List<List<String>> parseCsv(String text) {
        List<List<String>> records = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    field.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
                any = true;
            } else if (ch == ',') {
                fields.add(field.toString());
                field.setLength(0);
                any = true;
            } else if (ch == '\n' || ch == '\r') {
                if (ch == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                if (any || field.length() > 0) {
                    fields.add(field.toString());
                    records.add(fields);
                }
                fields = new ArrayList<>();
                field.setLength(0);
                any = false;
            } else {
                field.append(ch);
                any = true;
            }
        }
        if (any || field.length() > 0) {
            fields.add(field.toString());
            records.add(fields);
        }
        return records;
    }

    static List<String> predictions(Result r) {
        return r.answers().stream().map(Answer::prediction).toList();
    }

    static double maxAbsDiff(double[][] a, double[][] b) {
        assertThat(b.length).isEqualTo(a.length);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            for (int o = 0; o < a[i].length; o++) {
                max = Math.max(max, Math.abs(a[i][o] - b[i][o]));
            }
        }
        return max;
    }

    static ConfigLoader.Layers load(String... settings) {
        return ConfigLoader.load(ExperimentKind.MMLU.id(), ExperimentKind.MMLU.sections(), null,
                Arrays.stream(settings).map(t -> ConfigLoader.Setting.parse(t, "--set")).toList(), new Properties());
    }

    /** The MMLU experiment, keeping its variants (weights, memory) until the suite has scored them itself. */
    static final class KeepVariants implements Experiment<String, MmluExperiment.Variant, MmluExperiment.SubjectScore> {
        final MmluExperiment delegate;
        List<MmluExperiment.Variant> variants;

        KeepVariants(MmluExperiment delegate) {
            this.delegate = delegate;
        }

        @Override
        public ExperimentKind kind() {
            return delegate.kind();
        }

        @Override
        public List<String> units() {
            return delegate.units();
        }

        @Override
        public List<MmluExperiment.Variant> methods(Path modelDir, List<String> units) throws Exception {
            variants = delegate.methods(modelDir, units);
            return variants;
        }

        @Override
        public Path modelFor(MmluExperiment.Variant method, Path modelDir) {
            return delegate.modelFor(method, modelDir);
        }

        @Override
        public MmluExperiment.SubjectScore run(String unit, MmluExperiment.Variant method, ModelSession session) {
            return delegate.run(unit, method, session);
        }

        @Override
        public List<Result> results(MmluExperiment.Variant method, List<String> units,
                List<MmluExperiment.SubjectScore> runs) {
            return delegate.results(method, units, runs);
        }

        @Override
        public List<Result> finish(List<Result> results) {
            return delegate.finish(results);
        }

        @Override
        public void cleanUp() {
            // kept for the suite's own scoring; removed in @AfterAll
        }

        @Override
        public String table(List<Result> results) {
            return delegate.table(results);
        }

        @Override
        public Map<String, String> plots(List<Result> results) {
            return delegate.plots(results);
        }
    }
}
