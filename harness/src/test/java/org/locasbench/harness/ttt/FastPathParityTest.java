package org.locasbench.harness.ttt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.locasbench.harness.protocol.Window;
import org.locasbench.harness.protocol.WindowPlan;
import org.locasbench.harness.protocol.WindowScorer;
import org.locasbench.locas.Clipping;
import org.locasbench.locas.InitStrategy;
import org.locasbench.locas.Memorizer;
import org.locasbench.lora.LoraAdapter;
import org.locasbench.lora.LoraConfig;
import org.locasbench.model.Precision;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.TestData;
import org.locasbench.model.adapter.LayerAdapter;
import org.locasbench.model.adapter.Projection;
import org.locasbench.model.adapter.TrainableAdapter;
import org.locasbench.model.engine.CudaGraph;
import org.locasbench.model.engine.FastPath;
import org.locasbench.model.engine.TorchOps;
import org.locasbench.model.engine.FastPath.Lever;

/**
 * The native fast path against the pure-DJL path, lever by lever, on the bundled model: fused attention, RMSNorm and
 * SwiGLU and the chunked LM-head NLL give the same per-token NLL (fp32: within 2e-4), the fused AdamW and the chunked
 * NLL's backward pass the same training run (NLL and parameters within 1e-5 relative), and CUDA-graph replays what the same kernels give run eagerly (within 1e-5 relative: the window's
 * ids, step count and learning rate reach the graph through storage it keeps reading). Runs only where the native library is named ({@code -Dlocas.native.library}); on the CPU
 * with {@code -Dlocas.fastpath.cpu=true} (the fused kernels), on a GPU runner with {@code -Dlocas.test.device=gpu}
 * (all levers). The fp16 bounds on the fast path are Fp16ParityTest's and Fp16TrainingTest's, run there the same way.
 */
@EnabledIf(value = "runsHere", disabledReason = "no native library named (-Dlocas.native.library) for a GPU "
        + "(-Dlocas.test.device=gpu) or the CPU (-Dlocas.fastpath.cpu=true): the fast path is tested on the GPU runner "
        + "(README: GPU fast path)")
class FastPathParityTest {
    static Qwen3Model model;
    static long[] book;
    static Device device;

    /** Where the native library is named and its arrays are on a GPU (or the CPU, with locas.fastpath.cpu). */
    static boolean runsHere() {
        boolean named = System.getProperty(FastPath.LIBRARY_PROPERTY) != null
                || System.getenv(FastPath.LIBRARY_ENV) != null;
        return named && (TestData.testDevice().isGpu() || Boolean.getBoolean(FastPath.CPU_PROPERTY));
    }

    @BeforeAll
    static void load() {
        device = TestData.testDevice();
        model = Qwen3Model.load(TestData.bundledModel(), Precision.FP32, device);
        book = TestTraining.book10146(6 * 128);
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    @Test
    void fusedAttentionAndRmsNormGiveTheSameNll() throws Exception {
        Window w = new Window(1, 0, 128, 256);
        float[] djl = withLevers(EnumSet.noneOf(Lever.class), () -> WindowScorer.score(model, LayerAdapter.NONE, book, w));
        float[] fused = withLevers(EnumSet.of(Lever.SDPA, Lever.RMS_NORM, Lever.SWIGLU, Lever.LINEAR_NLL),
                () -> WindowScorer.score(model, LayerAdapter.NONE, book, w));
        double worst = maxAbsDiff(djl, fused);
        System.out.printf("SDPA + rms_norm + swiglu + linear_nll vs DJL on %s: max|NLL diff| %.3g over %d tokens%n", device, worst,
                djl.length);
        assertThat(worst).isLessThanOrEqualTo(2e-4);
    }

    /** The levers that change the training step (the fused update; the chunked LM head's own backward pass). */
    @Test
    void fusedAdamWAndTheChunkedNllTrainAsDjl() throws Exception {
        for (Lever lever : List.of(Lever.FUSED_ADAMW, Lever.LINEAR_NLL)) {
            for (String method : List.of("locas", "lora")) {
                Trained djl = withLevers(EnumSet.noneOf(Lever.class), () -> train(method, 1));
                Trained fused = withLevers(EnumSet.of(lever), () -> train(method, 1));
                double nll = relative(djl.nll(), fused.nll());
                double params = relative(djl.parameters(), fused.parameters());
                System.out.printf("%s %s vs DJL on %s: NLL rel. diff %.3g, parameters rel. diff %.3g%n", method,
                        lever.key(), device, nll, params);
                // six AdamW steps at lr 1e-2 turn fp32 rounding in small gradients into larger moves (the update is
                // g / sqrt(v)): the one-step gradients are compared tightly below
                assertThat(nll).as(lever.key()).isLessThanOrEqualTo(1e-5);
                assertThat(params).as(lever.key()).isLessThanOrEqualTo(5e-5);
            }
        }
    }

    @Test
    void theChunkedNllHasTheSameGradients() throws Exception {
        Window w = new Window(1, 0, 128, 256);
        for (String method : List.of("locas", "lora")) {
            float[] djl = withLevers(EnumSet.noneOf(Lever.class), () -> gradients(method, w));
            float[] chunked = withLevers(EnumSet.of(Lever.LINEAR_NLL), () -> gradients(method, w));
            double error = relative(djl, chunked);
            System.out.printf("%s linear_nll gradients vs DJL on %s: rel. diff %.3g%n", method, device, error);
            assertThat(error).isLessThanOrEqualTo(1e-5);
        }
    }

    /** All parameters' gradients of one NTP loss on {@code w}, concatenated (V of Locas is zero: LoRA's B too). */
    private static float[] gradients(String method, Window w) {
        TrainingConfig config = new TrainingConfig(LossKind.NTP, 0.5, 1e-2, 0.9, 0.999, 1e-8, 0.0, 1, 64, 64);
        try (TrainableAdapter adapter = adapter(method, Arrays.copyOfRange(book, 0, 128));
                TestTimeTrainer trainer = new TestTimeTrainer(model, adapter, config);
                ai.djl.ndarray.NDManager scope = model.manager().newSubManager();
                org.locasbench.model.adapter.GradientScope gc = org.locasbench.model.adapter.GradientScope.recording()) {
            gc.backward(trainer.loss(scope, book, w));
            List<float[]> grads = new ArrayList<>();
            for (ai.djl.ndarray.NDArray p : adapter.parameters()) {
                ai.djl.ndarray.NDArray g = p.getGradient();
                g.attach(scope);
                grads.add(g.toFloatArray());
            }
            return concat(grads);
        }
    }

    /**
     * locas, lora (no dropout), lora-dropout (p = 0.5: masks that visibly move the run if they differ) or temp-lora
     * (lora-dropout with Temp-LoRA's schedule: a fresh AdamW per window, lr 0 then lr/2, set in place between replays)
     * or temp-lora-pg19 (its PG-19 schedule: one AdamW, the rate warming up over the first two windows).
     */
    private static TrainableAdapter adapter(String method, long[] firstIds) {
        return switch (method) {
            case "locas" -> Memorizer.memorize(model, firstIds, 16, InitStrategy.HIGHEST, 0, Clipping.REPARAMETERIZE);
            case "lora" -> LoraAdapter.create(model, new LoraConfig(4, 8, 0.0, EnumSet.allOf(Projection.class), 3));
            case "lora-dropout", "temp-lora", "temp-lora-pg19" -> LoraAdapter.create(model, new LoraConfig(4, 8, 0.5, EnumSet.allOf(Projection.class),
                    3));
            default -> throw new IllegalArgumentException(method);
        };
    }

    @Test
    void aGraphReplayTrainsAsTheEagerSteps() throws Exception {
        assumeTrue(device.isGpu() && FastPath.status().cuda(), "skipped: CUDA graphs need a GPU and a CUDA build");
        Set<Lever> kernels = EnumSet.complementOf(EnumSet.of(Lever.CUDA_GRAPH));
        // lora-dropout: each replay's masks are its step's stream (the generator seeded with the step's key), the
        // masks the eager step draws too; a replay that drew elsewhere would move NLL and parameters far past 1e-5
        for (String method : List.of("locas", "lora", "lora-dropout", "temp-lora", "temp-lora-pg19")) {
            Trained eager = withLevers(kernels, () -> train(method, 2));
            Trained graphed = withLevers(EnumSet.allOf(Lever.class), () -> train(method, 2));
            System.out.printf("%s graph vs eager on %s: %d of %d steps replayed; NLL diff %.3g, parameters diff %.3g%n",
                    method, device, graphed.replays(), graphed.steps(), relative(eager.nll(), graphed.nll()),
                    relative(eager.parameters(), graphed.parameters()));
            assertThat(eager.replays()).isZero();
            // each window shape's first step runs eagerly (window 0: 128 tokens; later windows 128 + 128 of context)
            assertThat(graphed.replays()).as("steps replayed").isEqualTo(graphed.steps() - 2);
            // the same kernels on the same data; cuBLAS may pick another algorithm inside a capture, so not bit for bit
            assertThat(relative(eager.nll(), graphed.nll())).isLessThanOrEqualTo(1e-5);
            assertThat(relative(eager.parameters(), graphed.parameters())).isLessThanOrEqualTo(1e-5);
        }
    }

    /**
     * A capture libtorch refuses (the body reads the host) leaves the device's random generator usable: capture_begin
     * puts it in capture mode and only a capture_end that succeeds takes it out, so without the abort's reset the next
     * eager dropout draw fails ("Offset increment outside graph capture").
     */
    @Test
    void aRefusedCaptureLeavesEagerDropoutWorking() {
        assumeTrue(device.isGpu() && FastPath.status().cuda(), "skipped: CUDA graphs need a GPU and a CUDA build");
        try (CudaGraph.SideStream stream = new CudaGraph.SideStream(device);
                ai.djl.ndarray.NDManager scope = model.manager().newSubManager()) {
            ai.djl.ndarray.NDArray x = scope.ones(new ai.djl.ndarray.types.Shape(4096));
            assertThatThrownBy(() -> CudaGraph.capture(() -> TorchOps.dropoutNextDraw(x, 0.5).toFloatArray()))
                    .isInstanceOf(CudaGraph.CaptureFailed.class);
            float[] masked = TorchOps.dropout(x, 0.5, 7).toFloatArray();
            assertThat(masked).as("an eager draw after the refused capture").contains(0f, 2f);
            assertThat(TorchOps.dropout(x, 0.5, 7).toFloatArray()).as("still keyed").isEqualTo(masked);
        }
    }

    private record Trained(float[] nll, float[] parameters, int replays, int steps) {}

    /** Six windows of 128 after 128 of context, {@code steps} NTP steps each, the score read off the first if it can be. */
    private static Trained train(String method, int steps) {
        TrainingConfig config = new TrainingConfig(LossKind.NTP, 0.5, 1e-2, 0.9, 0.999, 1e-8, 0.0, steps, 64, 64,
                switch (method) {
                    case "temp-lora" -> OptimizerSchedule.TEMP_LORA;
                    case "temp-lora-pg19" -> OptimizerSchedule.TEMP_LORA_PG19;
                    default -> OptimizerSchedule.CONSTANT;
                });
        List<Window> plan = WindowPlan.of(book.length, 128, 128);
        Window first = plan.get(0);
        long[] firstIds = Arrays.copyOfRange(book, first.contextStart(), first.end());
        try (TrainableAdapter adapter = adapter(method, firstIds);
                TestTimeTrainer trainer = new TestTimeTrainer(model, adapter, config)) {
            List<float[]> scores = new ArrayList<>();
            for (Window w : plan) {
                if (trainer.scoresOnFirstStep()) {
                    trainer.train(book, w, scores::add);
                } else { // dropout: the score is a pass of its own, before the steps
                    scores.add(WindowScorer.score(model, adapter, book, w));
                    trainer.train(book, w);
                }
            }
            List<float[]> params = new ArrayList<>();
            adapter.parameters().forEach(p -> params.add(p.toFloatArray()));
            return new Trained(concat(scores), concat(params), trainer.graphReplays(), plan.size() * steps);
        }
    }

    private static <T> T withLevers(Set<Lever> levers, java.util.concurrent.Callable<T> body) throws Exception {
        try (AutoCloseable on = FastPath.withLevers(levers)) {
            return body.call();
        }
    }

    private static float[] concat(List<float[]> parts) {
        float[] out = new float[parts.stream().mapToInt(a -> a.length).sum()];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        assertThat(b).hasSameSizeAs(a);
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs((double) a[i] - b[i]));
        }
        return worst;
    }

    /** ||a - b|| / ||a||. */
    private static double relative(float[] a, float[] b) {
        assertThat(b).hasSameSizeAs(a);
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < a.length; i++) {
            diff += ((double) a[i] - b[i]) * ((double) a[i] - b[i]);
            norm += (double) a[i] * a[i];
        }
        return Math.sqrt(diff / norm);
    }
}
