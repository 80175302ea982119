package org.locasbench.harness.ttt;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locasbench.harness.protocol.Window;
import org.locasbench.locas.Clipping;
import org.locasbench.locas.InitStrategy;
import org.locasbench.locas.LocasEquations;
import org.locasbench.locas.LocasMemory;
import org.locasbench.locas.MemoryInfo;
import org.locasbench.locas.MemoryLayer;
import org.locasbench.lora.LoraAdapter;
import org.locasbench.lora.LoraConfig;
import org.locasbench.model.Precision;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.TestData;
import org.locasbench.model.adapter.GradientScope;
import org.locasbench.model.adapter.TrainableAdapter;

/**
 * Mixed-precision training: fp16 frozen weights and activations, fp32 master weights, fp32 norms, softmax and loss.
 * The gradients reaching every layer's fp32 masters must match the all-fp32 gradients (relative L2 error <= 5% per
 * parameter, loss within 0.01), which fails if any cast on the way cuts the autograd graph (DJL's {@code toType} does).
 */
class Fp16TrainingTest {
    static Qwen3Model fp32;
    static Qwen3Model fp16;
    static long[] ids;
    static final Window WINDOW = new Window(1, 0, 128, 256);

    @BeforeAll
    static void load() {
        fp32 = Qwen3Model.load(TestData.bundledModel(), Precision.FP32, Device.cpu());
        fp16 = Qwen3Model.load(TestData.bundledModel(), Precision.FP16, TestData.testDevice()); // GPU: the fast path
        ids = TestTraining.book10146(256);
    }

    @AfterAll
    static void close() {
        fp32.close();
        fp16.close();
    }

    @Test
    void locasGradientsUnderFp16MatchFp32() {
        compare("Locas", Fp16TrainingTest::randomMemory);
    }

    @Test
    void loraGradientsUnderFp16MatchFp32() {
        compare("LoRA", model -> LoraAdapter.create(model, LoraConfig.tempLora(8, 7)));
    }

    private static void compare(String name, Function<Qwen3Model, TrainableAdapter> factory) {
        try (TrainableAdapter full = factory.apply(fp32); TrainableAdapter mixed = factory.apply(fp16)) {
            for (NDArray p : mixed.parameters()) {
                assertThat(p.getDataType()).as("master weights stay fp32").isEqualTo(DataType.FLOAT32);
            }
            double[] fullLoss = new double[1];
            double[] mixedLoss = new double[1];
            List<float[]> expected = gradients(fp32, full, fullLoss);
            List<float[]> actual = gradients(fp16, mixed, mixedLoss);
            double worst = 0;
            int compared = 0;
            for (int i = 0; i < expected.size(); i++) {
                double reference = norm(expected.get(i), null);
                if (reference == 0) {
                    assertThat(norm(actual.get(i), null)).isZero();
                    continue;
                }
                double error = norm(expected.get(i), actual.get(i)) / reference;
                worst = Math.max(worst, error);
                compared++;
            }
            System.out.printf("%s fp16 on " + fp16.manager().getDevice() + " vs fp32: loss %.6f vs %.6f, worst relative gradient error %.3g over %d "
                    + "tensors%n", name, mixedLoss[0], fullLoss[0], worst, compared);
            assertThat(compared).as("parameters with a gradient")
                    .isGreaterThanOrEqualTo(fp32.config().numHiddenLayers());
            assertThat(worst).isLessThanOrEqualTo(0.05);
            assertThat(Math.abs(mixedLoss[0] - fullLoss[0])).isLessThanOrEqualTo(0.01);
        }
    }

    private static List<float[]> gradients(Qwen3Model model, TrainableAdapter adapter, double[] loss) {
        TestTimeTrainer trainer = new TestTimeTrainer(model, adapter, org.locasbench.harness.ttt.TestTraining.locas());
        List<float[]> out = new ArrayList<>();
        try (NDManager scope = model.manager().newSubManager(); GradientScope gc = GradientScope.recording()) {
            NDArray objective = trainer.loss(scope, ids, WINDOW);
            loss[0] = objective.toType(DataType.FLOAT64, false).getDouble();
            gc.backward(objective);
            for (NDArray p : adapter.parameters()) {
                NDArray g = p.getGradient();
                g.attach(scope);
                out.add(g.toFloatArray());
            }
        }
        trainer.close();
        return out;
    }

    /** G, K, V drawn from one seed (V non-zero, so every parameter has a gradient), fp32 masters. */
    private static TrainableAdapter randomMemory(Qwen3Model model) {
        int width = 16;
        int d = model.config().hiddenSize();
        int layers = model.config().numHiddenLayers();
        Random random = new Random(11);
        List<MemoryLayer> memory = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            memory.add(new MemoryLayer(gaussian(model, random, width, d), gaussian(model, random, width, d),
                    gaussian(model, random, width, d), LocasEquations.tau(model.layer(i).downProj(), width)));
        }
        MemoryInfo info = new MemoryInfo(model.directory().toString(), "test", d, layers, width, InitStrategy.RANDOM,
                Clipping.REPARAMETERIZE, 11);
        return new LocasMemory(model.manager(), memory, info);
    }

    private static NDArray gaussian(Qwen3Model model, Random random, int rows, int cols) {
        float[] values = new float[rows * cols];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() / Math.sqrt(cols));
        }
        return model.manager().create(values, new Shape(rows, cols)).toType(model.precision().masterType(), false);
    }

    /** ||a - b|| (or ||a|| when b is null) in double. */
    private static double norm(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double x = b == null ? a[i] : a[i] - b[i];
            sum += x * x;
        }
        return Math.sqrt(sum);
    }
}
