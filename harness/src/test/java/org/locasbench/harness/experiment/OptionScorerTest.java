package org.locasbench.harness.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.locasbench.harness.config.ConfigLoader;
import org.locasbench.harness.config.MmluSettings;
import org.locasbench.harness.config.RunSettings;
import org.locasbench.harness.data.MmluDataset;
import org.locasbench.harness.data.MmluQuestion;
import org.locasbench.model.TestData;
import org.locasbench.model.adapter.LayerAdapter;
import org.locasbench.model.tokenizer.TextTokenizer;

/**
 * MMLU's batched single-forward scoring against the per-option path (one full forward of prompt + option each, the
 * code MMLU ran before batching) on the bundled model, fp32 CPU.
 */
class OptionScorerTest {
    static MmluSettings mmlu;
    static ModelSession session;
    static List<long[]> prompts = new ArrayList<>();
    static long[][] options;
    static double[][] reference;

    @BeforeAll
    static void setUp() {
        System.setProperty("locas.data.dir", TestData.dataDir().toString());
        ConfigLoader.Layers layers = load();
        mmlu = layers.section("mmlu", MmluSettings.class);
        RunSettings run = layers.common().run();
        session = ModelSession.open(ModelSession.resolveModel(run), run, "cpu");
        TreeMap<String, List<MmluQuestion>> test = MmluDataset.load(TestData.dataDir().resolve("mmlu"), "test");
        TreeMap<String, List<MmluQuestion>> dev = MmluDataset.load(TestData.dataDir().resolve("mmlu"), "dev");
        // four questions of each subject, subjects interleaved: lengths vary and arrive unsorted
        for (int i = 0; i < 4; i++) {
            for (String s : test.keySet()) {
                prompts.add(session.tokenizer().encode(MmluExperiment.prompt(test.get(s).get(i),
                        dev.get(s).subList(0, 1))));
            }
        }
        options = MmluExperiment.optionIds(session);
        reference = new double[prompts.size()][];
        for (int i = 0; i < prompts.size(); i++) {
            reference[i] = OptionScorer.perOptionNll(session.model(), LayerAdapter.NONE, prompts.get(i), options);
        }
    }

    @AfterAll
    static void tearDown() {
        session.close();
    }

    @Test
    void answerLettersAreOneTokenInTheBundledTokenizer() {
        assertThat(OptionScorer.singleTokenIds(options)).isNotNull().doesNotHaveDuplicates().hasSize(4);
    }

    @Test
    void answerLettersAreOneTokenInQwen3sTokenizer() {
        var file = TestData.sharedData().resolve("qwen3/Qwen3-0.6B/tokenizer.json");
        try (TextTokenizer qwen3 = TextTokenizer.load(file)) {
            long[][] ids = new long[4][];
            for (int i = 0; i < 4; i++) {
                ids[i] = qwen3.encode(" " + "ABCD".charAt(i));
            }
            assertThat(OptionScorer.singleTokenIds(ids)).isNotNull().doesNotHaveDuplicates();
        }
    }

    @ParameterizedTest(name = "batch size {0}")
    @ValueSource(ints = {1, 3, 8})
    void batchedSingleForwardGivesThePerOptionPathsLogProbsAndAnswers(int batchSize) {
        assertThat(prompts.stream().mapToInt(p -> p.length).distinct().count()).as("lengths differ").isGreaterThan(3);
        OptionScorer.Scores r = OptionScorer.score(session.model(), LayerAdapter.NONE, prompts, options, batchSize,
                null, OptionScorer.Progress.NONE);
        for (int i = 0; i < prompts.size(); i++) {
            for (int o = 0; o < 4; o++) {
                assertThat(r.nll()[i][o]).as("prompt %d option %d", i, o).isCloseTo(reference[i][o], offset(1e-4));
            }
            assertThat(r.predictions()[i]).as("prompt %d", i).isEqualTo(OptionScorer.argmin(reference[i]));
        }
        assertThat(r.forwards()).isEqualTo((prompts.size() + batchSize - 1) / batchSize);
        long unpadded = prompts.stream().mapToLong(p -> p.length).sum();
        assertThat(r.promptTokens()).isEqualTo(unpadded);
        assertThat(r.fedTokens()).isGreaterThanOrEqualTo(unpadded);
        if (batchSize == 1) {
            assertThat(r.fedTokens()).isEqualTo(unpadded);
        }
    }

    @Test
    void promptsOfMixedLengthsInOneBatchScoreAsEachAlone() {
        double[][] together = OptionScorer.singleTokenNll(session.model(), LayerAdapter.NONE, prompts,
                OptionScorer.singleTokenIds(options));
        for (int i = 0; i < prompts.size(); i++) {
            double[] alone = OptionScorer.singleTokenNll(session.model(), LayerAdapter.NONE, List.of(prompts.get(i)),
                    OptionScorer.singleTokenIds(options))[0];
            for (int o = 0; o < 4; o++) {
                assertThat(together[i][o]).as("prompt %d option %d", i, o).isCloseTo(alone[o], offset(1e-4));
            }
            assertThat(OptionScorer.argmin(together[i])).isEqualTo(OptionScorer.argmin(alone));
        }
    }

    @ParameterizedTest(name = "batch size {0}")
    @ValueSource(ints = {1, 4})
    void aSharedPrefixComputedOnceGivesTheWholePromptsLogProbs(int batchSize) {
        TreeMap<String, List<MmluQuestion>> test = MmluDataset.load(TestData.dataDir().resolve("mmlu"), "test");
        TreeMap<String, List<MmluQuestion>> dev = MmluDataset.load(TestData.dataDir().resolve("mmlu"), "dev");
        String subject = test.firstKey();
        List<MmluQuestion> shots = dev.get(subject).subList(0, Math.min(2, dev.get(subject).size()));
        List<long[]> whole = new ArrayList<>();
        for (MmluQuestion q : test.get(subject).subList(0, 7)) {
            whole.add(session.tokenizer().encode(MmluExperiment.prompt(q, shots)));
        }
        long[] prefix = session.tokenizer().encode(MmluExperiment.prefix(subject, shots));
        List<long[]> suffixes = MmluExperiment.suffixesAfter(prefix, whole);
        assertThat(suffixes).as("the bundled tokenizer keeps the prefix's ids at the prompt's start").isNotNull();
        OptionScorer.Scores r = OptionScorer.scoreSharedPrefix(session.model(), LayerAdapter.NONE, prefix, suffixes,
                options, batchSize, null, OptionScorer.Progress.NONE);
        for (int i = 0; i < whole.size(); i++) {
            double[] ref = OptionScorer.perOptionNll(session.model(), LayerAdapter.NONE, whole.get(i), options);
            for (int o = 0; o < 4; o++) {
                assertThat(r.nll()[i][o]).as("prompt %d option %d", i, o).isCloseTo(ref[o], offset(1e-4));
            }
            assertThat(r.predictions()[i]).isEqualTo(OptionScorer.argmin(ref));
        }
        assertThat(r.forwards()).isEqualTo(1 + (whole.size() + batchSize - 1) / batchSize);
        long suffixTokens = suffixes.stream().mapToLong(x -> x.length).sum();
        assertThat(r.promptTokens()).isEqualTo(prefix.length + suffixTokens);
        assertThat(r.fedTokens()).isGreaterThanOrEqualTo(r.promptTokens());
        if (batchSize == 1) {
            assertThat(r.fedTokens()).isEqualTo(r.promptTokens());
        }
    }

    @Test
    void promptsThatDoNotStartWithThePrefixIdsRunWhole() {
        long[] prefix = {5, 6, 7};
        assertThat(MmluExperiment.suffixesAfter(prefix, List.of(new long[] {5, 6, 7, 8}, new long[] {5, 6, 7, 9, 9})))
                .extracting(Arrays::toString).containsExactly("[8]", "[9, 9]");
        assertThat(MmluExperiment.suffixesAfter(prefix, List.of(new long[] {5, 6, 7, 8}, new long[] {5, 6, 70, 1})))
                .as("a merge across the boundary").isNull();
        assertThat(MmluExperiment.suffixesAfter(prefix, List.<long[]>of(new long[] {5, 6, 7}))).as("nothing after")
                .isNull();
        assertThat(MmluExperiment.suffixesAfter(new long[0], List.<long[]>of(new long[] {5}))).isNull();
    }

    @Test
    void multiTokenOptionsFallBackToOneForwardPerOption() {
        long[][] multi = {options[0], {options[1][0], options[0][0]}, options[2], options[3]};
        List<long[]> few = prompts.subList(0, 3);
        List<Integer> progress = new ArrayList<>();
        OptionScorer.Scores r = OptionScorer.score(session.model(), LayerAdapter.NONE, few, multi, 8, null,
                (n, tokens) -> progress.add(n));
        assertThat(r.forwards()).isEqualTo(12);
        assertThat(progress).containsExactly(1, 1, 1);
        long fed = 0;
        for (int i = 0; i < few.size(); i++) {
            assertThat(r.nll()[i]).containsExactly(OptionScorer.perOptionNll(session.model(), LayerAdapter.NONE,
                    few.get(i), multi));
            assertThat(r.nll()[i][0]).isEqualTo(reference[i][0]);
            fed += 4L * few.get(i).length + 5;
        }
        assertThat(r.fedTokens()).isEqualTo(fed);
    }

    @Test
    void batchesAreSortedByLengthAndRespectRowAndTokenCaps() {
        int[] lengths = {50, 10, 30, 10, 70, 20, 200};
        List<int[]> byRows = OptionScorer.batches(lengths, 3, null);
        assertThat(byRows).extracting(Arrays::toString).containsExactly("[1, 3, 5]", "[2, 0, 4]", "[6]");
        // at most 100 rows x padded length: 10,10,20 -> 60; 30,50 -> 100; 70 alone; 200 over the cap, alone
        List<int[]> byTokens = OptionScorer.batches(lengths, 8, 100);
        assertThat(byTokens).extracting(Arrays::toString).containsExactly("[1, 3, 5]", "[2, 0]", "[4]", "[6]");
        assertThat(OptionScorer.batches(new int[0], 8, null)).isEmpty();
    }

    @Test
    void tiesGoToTheFirstOption() {
        assertThat(OptionScorer.argmin(new double[] {1, 1, 1, 1})).isZero();
        assertThat(OptionScorer.argmin(new double[] {2, 0.5, 1, 0.5})).isEqualTo(1);
    }

    @Test
    void batchKeysAreValidatedByName() {
        assertThat(mmlu.batchSize()).isEqualTo(8);
        assertThat(load("mmlu.batchSize=3", "mmlu.batchTokens=null").section("mmlu", MmluSettings.class)
                .batchTokens()).isNull();
        assertThatThrownBy(() -> load("mmlu.batchSize=0").section("mmlu", MmluSettings.class))
                .hasMessageContaining("invalid config value 'mmlu.batchSize'");
        assertThatThrownBy(() -> load("mmlu.batchSize=null").section("mmlu", MmluSettings.class))
                .hasMessageContaining("invalid config value 'mmlu.batchSize'");
        assertThatThrownBy(() -> load("mmlu.batchTokens=0").section("mmlu", MmluSettings.class))
                .hasMessageContaining("invalid config value 'mmlu.batchTokens'");
        // the mmlu section belongs to the mmlu experiment only
        ConfigLoader.Layers pg19 = ConfigLoader.load(ExperimentKind.PG19.id(), ExperimentKind.PG19.sections(), null,
                List.of(), new Properties());
        assertThatThrownBy(() -> pg19.section("mmlu", MmluSettings.class)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ConfigLoader.load(ExperimentKind.PG19.id(), ExperimentKind.PG19.sections(), null,
                List.of(ConfigLoader.Setting.parse("mmlu.batchSize=3", "--set")), new Properties()))
                .hasMessageContaining("invalid config value 'mmlu': unknown section");
    }

    private static ConfigLoader.Layers load(String... settings) {
        return ConfigLoader.load(ExperimentKind.MMLU.id(), ExperimentKind.MMLU.sections(), null,
                Arrays.stream(settings).map(t -> ConfigLoader.Setting.parse(t, "--set")).toList(), new Properties());
    }
}
