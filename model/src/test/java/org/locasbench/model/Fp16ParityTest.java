package org.locasbench.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.locasbench.model.safetensors.SafetensorsFile;

/**
 * The fp16 compute path (fp16 weights and matmuls; RMSNorm, softmax and logits in fp32) against transformers' fp32
 * reference (on {@link TestData#testDevice}: on a GPU runner with the native library this is the fast path's parity). Tolerances: |logit diff| <= 0.05 and |NLL diff| <= 0.02 on the fixture model (fp16 has ~3 decimal digits).
 */
class Fp16ParityTest {
    @Test
    void fp16LogitsStayCloseToTheFp32Reference() {
        var dir = TestData.fixture("tiny-qwen3");
        SafetensorsFile ref = SafetensorsFile.open(dir.resolve("reference.safetensors"));
        try (Qwen3Model model = Qwen3Model.load(dir, Precision.FP16, TestData.testDevice());
                NDManager scope = model.manager().newSubManager()) {
            assertThat(model.weights().layers().get(0).qProj().getDataType()).isEqualTo(DataType.FLOAT16);
            NDArray ids = scope.create(ref.longs("ids"), new Shape(ref.entry("ids").shape()));
            NDArray logits = model.logits(ids);
            assertThat(logits.getDataType()).isEqualTo(DataType.FLOAT32);
            double logitDiff = Qwen3ParityTest.maxAbsDiff(logits, ref.floats("logits"));
            double nllDiff = Qwen3ParityTest.maxAbsDiff(Nll.perToken(logits, ids), ref.floats("nll"));
            System.out.printf("fp16 vs HF fp32 on %s (%s): max|logit diff| %.3g, max|NLL diff| %.3g%n",
                    TestData.testDevice(), org.locasbench.model.engine.FastPath.describe(TestData.testDevice()),
                    logitDiff, nllDiff);
            assertThat(logitDiff).isLessThanOrEqualTo(0.05).isGreaterThan(0);
            assertThat(nllDiff).isLessThanOrEqualTo(0.02);
        }
    }
}
