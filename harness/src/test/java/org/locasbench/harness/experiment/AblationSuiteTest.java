package org.locasbench.harness.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.locasbench.harness.config.CommonConfig;
import org.locasbench.harness.config.ConfigLoader;
import org.locasbench.harness.config.ConfigLoader.Setting;
import org.locasbench.harness.config.Method;
import org.locasbench.harness.data.Pg19Book;
import org.locasbench.harness.method.MethodSetup;
import org.locasbench.locas.InitStrategy;
import org.locasbench.model.TestData;
import org.locasbench.results.Metrics;
import org.locasbench.results.Result;

/**
 * Init-strategy ablation: every init strategy at two memory widths on the PG-19 protocol (book 10146, first 2,048
 * tokens), each result written to {@code target/results/ablation/} for the baseline gate and attached to Allure.
 * Checked: window 0 of every init equals the frozen model's bit for bit (every init starts with V = 0 and window 0 is
 * scored before training), parameter counts by hand, every init beats the frozen model, and the paper's ordering
 * (highest converges fastest) by a margin measured over seeds.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AblationSuiteTest {
    static CommonConfig common;
    static AblationExperiment experiment;
    static ModelSession session;
    static Pg19Book book;
    /** The frozen model on the same tokens and windows (the none method of the PG-19 protocol). */
    static Result frozen;
    static final Map<String, Result> RESULTS = new ConcurrentHashMap<>();

    @BeforeAll
    static void setUp() throws Exception {
        System.setProperty("locas.data.dir", TestData.dataDir().toString());
        ConfigLoader.Layers layers = ConfigLoader.load(ExperimentKind.ABLATION.id(),
                ExperimentKind.ABLATION.sections(), null, List.of(Setting.parse("pg19.maxTokens=2048",
                        "AblationSuiteTest"), Setting.parse("pg19.books=10146", "AblationSuiteTest")),
                new Properties());
        common = layers.common();
        experiment = (AblationExperiment) ExperimentKind.ABLATION.create(layers);
        book = experiment.units().get(0);
        session = ModelSession.open(ModelSession.resolveModel(common.run()), common.run(), "cpu");
        frozen = experiment.run(book, MethodSetup.of(common, Method.NONE), session);
    }

    @AfterAll
    static void tearDown() {
        session.close();
    }

    static Stream<Arguments> grid() {
        return Stream.of(16, 64).flatMap(w -> Stream.of("highest", "lowest", "random", "random_index")
                .map(i -> Arguments.of(i, w)));
    }

    @Order(1)
    @ParameterizedTest(name = "init={0}, width={1}")
    @MethodSource("grid")
    void strategyAtWidth(String init, int width) throws Exception {
        MethodSetup setup = MethodSetup.locas(common.locas().withWidth(width).withInit(InitStrategy.parse(init)),
                common.training(), common.grpo(), common.run().seed(), common.window().context());
        Result r = experiment.run(book, setup, session);
        AllureResults.write(r);
        AllureResults.attach(r, AllureResults.curve("ablation: " + setup.label(), List.of(r)));
        List<Double> nll = r.series(Metrics.Series.WINDOW_NLL);
        assertThat(r.metric(Metrics.NLL_AFTER_1_WINDOWS)).as("NLL after 1 window is window 1's").hasValue(nll.get(1));
        assertThat(r.metric(Metrics.NLL_AFTER_2_WINDOWS)).hasValue(nll.get(2));
        assertThat(r.metric(Metrics.NLL_AFTER_4_WINDOWS)).hasValue(nll.get(4));
        assertThat(r.requireMetric(Metrics.PARAMS_ADDED)).as("G, K, V: width x hidden 256 x 8 layers")
                .isEqualTo(3.0 * width * 256 * 8);
        // window 0 is scored before training, and every init starts with V = 0: the frozen model's output exactly
        assertThat(nll.get(0)).as("window 0 with a fresh memory (V = 0)")
                .isEqualTo(frozen.series(Metrics.Series.WINDOW_NLL).get(0));
        // every init trains to a gain over the frozen model (observed: 42.89 for the worst, lowest at r = 16, vs
        // 44.18 frozen, 2.9 % lower)
        assertThat(r.requireMetric(Metrics.PPL)).as("%s PPL vs the frozen model's", setup.label())
                .isLessThan(frozen.requireMetric(Metrics.PPL) * 0.98);
        System.out.printf("ablation %-22s ppl %.4f nll1 %.5f nll2 %.5f nll4 %.5f%n", setup.label(),
                r.requireMetric(Metrics.PPL), nll.get(1), nll.get(2), nll.get(4));
        RESULTS.put(init + "/" + width, r);
    }

    /**
     * The paper's claim: a memory initialised from the model's most-active neurons (highest) converges fastest. On the
     * bundled model it holds with a margin at both widths. Observed PPL on 2,048 tokens (r = 16 / r = 64): highest
     * 41.50 / 41.71, lowest 42.89 / 42.65, random 42.30 / 42.12, random_index 42.08 / 42.21 at seed 0; with seeds 1
     * and 2 random gave 41.92, 42.08 / 42.15, 42.10 and random_index 42.10, 42.34 / 42.16, 42.18. So the seeded
     * inits move by up to 0.4 PPL (1 %) with the seed, and highest stays ahead of every other init by at least
     * 0.39 PPL (0.94 %); the margin asserted, 0.5 %, is half of that. NLL of window 4 (after 4 windows of training):
     * highest ahead by at least 0.011 nats over those seeds; 0.005 asserted. The order of the other three changes
     * with the width and the seed and is not asserted.
     */
    /**
     * Table 2's "normalised activation" row: Locas-MLP's init (G = K = unit-normalised MLP inputs of r tokens) on the
     * GLU. It starts from the frozen model's output like every init; the paper reports that it converges only at lr
     * 1e-6, and here at the suite's lr it trains to a worse PPL than highest.
     */
    @Order(2)
    @Test
    void normalizedActivationInitStartsFromTheFrozenModel() throws Exception {
        MethodSetup setup = MethodSetup.locas(common.locas().withWidth(16)
                .withInit(InitStrategy.NORMALIZED_ACTIVATION), common.training(), common.grpo(), common.run().seed(),
                common.window().context());
        Result r = experiment.run(book, setup, session);
        AllureResults.write(r);
        List<Double> nll = r.series(Metrics.Series.WINDOW_NLL);
        assertThat(nll.get(0)).as("window 0 with a fresh memory (V = 0)")
                .isEqualTo(frozen.series(Metrics.Series.WINDOW_NLL).get(0));
        assertThat(r.requireMetric(Metrics.PARAMS_ADDED)).isEqualTo(3.0 * 16 * 256 * 8);
        System.out.printf("ablation %-22s ppl %.4f nll1 %.5f nll2 %.5f nll4 %.5f (frozen %.4f)%n", setup.label(),
                r.requireMetric(Metrics.PPL), nll.get(1), nll.get(2), nll.get(4), frozen.requireMetric(Metrics.PPL));
        assertThat(RESULTS.get("highest/16").requireMetric(Metrics.PPL)).as("highest vs normalized_activation")
                .isLessThan(r.requireMetric(Metrics.PPL));
    }

    /**
     * Issue 16's ablation option: with {@code ablation.growEvery} each init x width r also runs as an expandable memory
     * from {@code locas.growBy} (16) rows growing by 16 every 2 windows to r = 64: same final parameter count as the
     * fixed r = 64, fewer before, the frozen model's output on window 0.
     */
    @Order(2)
    @Test
    void expandableRowReachesTheFixedWidthsParameterCount() throws Exception {
        AblationExperiment grows = (AblationExperiment) ExperimentKind.ABLATION.create(ConfigLoader.load(
                ExperimentKind.ABLATION.id(), ExperimentKind.ABLATION.sections(), null, List.of(
                        Setting.parse("pg19.maxTokens=2048", "test"), Setting.parse("pg19.books=10146", "test"),
                        Setting.parse("ablation.inits=highest", "test"), Setting.parse("ablation.widths=64", "test"),
                        Setting.parse("ablation.growEvery=2", "test")), new Properties()));
        List<MethodSetup> setups = grows.methods(null, grows.units());
        assertThat(setups.stream().map(MethodSetup::label)).containsExactly("locas[highest,r=64]",
                "locas[highest,r=16->64 +16 every 2]");
        Result r = grows.run(book, setups.get(1), session);
        AllureResults.write(r);
        List<Double> params = r.series(Metrics.Series.PARAMETERS);
        double perRow = 3.0 * 256 * 8;
        // 8 windows of 256: grows after windows 1, 3 and 5
        assertThat(params).containsExactly(16 * perRow, 32 * perRow, 32 * perRow, 48 * perRow, 48 * perRow,
                64 * perRow, 64 * perRow, 64 * perRow);
        assertThat(r.requireMetric(Metrics.PARAMS_ADDED)).isEqualTo(64 * perRow)
                .isEqualTo(RESULTS.get("highest/64").requireMetric(Metrics.PARAMS_ADDED));
        assertThat(r.series(Metrics.Series.WINDOW_NLL).get(0)).isEqualTo(frozen.series(Metrics.Series.WINDOW_NLL)
                .get(0));
        System.out.printf("ablation %-30s ppl %.4f (fixed r=64: %.4f)%n", setups.get(1).label(),
                r.requireMetric(Metrics.PPL), RESULTS.get("highest/64").requireMetric(Metrics.PPL));
    }

    @Order(3)
    @Test
    void highestInitConvergesFastestAtEveryWidth() {
        for (int width : List.of(16, 64)) {
            Result highest = RESULTS.get("highest/" + width);
            assertThat(highest).as("the highest/%d run of this suite", width).isNotNull();
            for (String other : List.of("lowest", "random", "random_index")) {
                Result r = RESULTS.get(other + "/" + width);
                assertThat(r).as("the %s/%d run of this suite", other, width).isNotNull();
                assertThat(highest.requireMetric(Metrics.PPL)).as("PPL, highest vs %s at r = %d", other, width)
                        .isLessThan(r.requireMetric(Metrics.PPL) * (1 - 0.005));
                assertThat(highest.requireMetric(Metrics.NLL_AFTER_4_WINDOWS))
                        .as("NLL after 4 windows, highest vs %s at r = %d", other, width)
                        .isLessThan(r.requireMetric(Metrics.NLL_AFTER_4_WINDOWS) - 0.005);
            }
        }
    }
}
