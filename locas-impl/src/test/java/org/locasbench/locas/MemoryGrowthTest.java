package org.locasbench.locas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.TestData;
import org.locasbench.model.safetensors.SafetensorsFile;
import org.locasbench.model.safetensors.StoredType;

/**
 * Expandable memory and the normalized_activation init against the independent torch computation of
 * data/fixtures/make_grpo_fixtures.py (init-reference.safetensors): memorize 8 rows on the reference ids, grow by 4 on
 * their second half; the grown rows are the 4 most important neurons of that half not already in the memory, cloned
 * and unit-normalised; the output does not change at the moment of growth even with trained V; the memory file
 * records the width and the growth, and to-dense fuses a grown memory.
 */
class MemoryGrowthTest {
    static final Path TINY = TestData.fixture("tiny-qwen3");
    static final SafetensorsFile IDS = SafetensorsFile.open(TINY.resolve("reference.safetensors"));

    @TempDir
    Path tmp;

    @Test
    void growthAppendsTheNextMostImportantNeuronsOfTheNewestWindow() {
        SafetensorsFile reference = init();
        try (Qwen3Model model = Qwen3Model.load(TINY);
                LocasMemory memory = Memorizer.memorize(model, IDS.longs("ids"), 8, InitStrategy.HIGHEST, 0,
                        Clipping.REPARAMETERIZE)) {
            Memorizer.grow(model, memory, reference.longs("newest_ids"), 4, 3);
            assertThat(memory.width()).isEqualTo(12);
            assertThat(memory.blockWidths()).containsExactly(8, 4);
            assertThat(memory.info().growth()).containsExactly(new MemoryInfo.Growth(3, 4, 12));
            for (int i = 0; i < memory.layers(); i++) {
                int[][] byBlock = memory.clonedNeuronsByBlock().get(0);
                assertThat(byBlock[i]).as("layer %d, memorize", i).containsExactly(ints(reference.longs("layer" + i
                        + ".first")));
                int[] grown = memory.clonedNeuronsByBlock().get(1)[i];
                assertThat(grown).as("layer %d, grown", i).containsExactly(ints(reference.longs("layer" + i + ".grown")));
                assertThat(Arrays.stream(grown).boxed().toList()).doesNotContainAnyElementsOf(
                        Arrays.stream(byBlock[i]).boxed().toList());
                MemoryLayer full = memory.layer(i);
                float[] gate = full.gate().toFloatArray();
                float[] key = full.key().toFloatArray();
                int d = model.config().hiddenSize();
                assertThat(Arrays.copyOfRange(gate, 8 * d, 12 * d)).containsExactly(reference.floats("layer" + i
                        + ".grown_gate"), offset(1e-6f));
                assertThat(Arrays.copyOfRange(key, 8 * d, 12 * d)).containsExactly(reference.floats("layer" + i
                        + ".grown_key"), offset(1e-6f));
                assertThat(full.value().abs().sum().getFloat()).isZero();
                assertThat(full.tau()).as("tau stays memorize's (width 8)")
                        .isEqualTo(LocasEquations.tau(model.layer(i).downProj(), 8));
            }
        }
    }

    @Test
    void normalizedActivationRowsAreTheUnitMlpInputsOfEvenlySpacedTokens() {
        SafetensorsFile reference = init();
        long[] ids = IDS.longs("ids");
        assertThat(Memorizer.activationPositions(ids.length, 8)).containsExactly(reference.longs("positions"));
        try (Qwen3Model model = Qwen3Model.load(TINY);
                LocasMemory memory = Memorizer.memorize(model, ids, 8, InitStrategy.NORMALIZED_ACTIVATION, 0,
                        Clipping.REPARAMETERIZE)) {
            for (int i = 0; i < memory.layers(); i++) {
                float[] expected = reference.floats("layer" + i + ".normalized_activation");
                assertThat(memory.layer(i).gate().toFloatArray()).containsExactly(expected, offset(2e-6f));
                assertThat(memory.layer(i).key().toFloatArray()).containsExactly(expected, offset(2e-6f));
            }
            assertThatThrownBy(() -> Memorizer.memorize(model, Arrays.copyOf(ids, 4), 8,
                    InitStrategy.NORMALIZED_ACTIVATION, 0, Clipping.REPARAMETERIZE))
                    .hasMessageContaining("needs at least that many tokens");
        }
    }

    /** With a trained (non-zero) V the new rows add exactly nothing: logits before and after growth are equal. */
    @Test
    void outputIsUnchangedAtTheMomentOfGrowthAndTheFileRecordsIt() throws Exception {
        long[] ids = IDS.longs("ids");
        try (Qwen3Model model = Qwen3Model.load(TINY);
                LocasMemory memory = Memorizer.memorize(model, ids, 8, InitStrategy.HIGHEST, 0,
                        Clipping.REPARAMETERIZE);
                NDManager scope = model.manager().newSubManager()) {
            Random random = new Random(3);
            for (NDArray p : memory.parameters()) {
                float[] v = new float[(int) p.size()];
                for (int j = 0; j < v.length; j++) {
                    v[j] = (float) random.nextGaussian() * 0.3f;
                }
                p.set(v); // as if trained: V != 0
            }
            NDArray input = scope.create(ids, new Shape(1, ids.length));
            float[] before = model.logits(input, 0, memory, null).toFloatArray();
            Memorizer.grow(model, memory, Arrays.copyOfRange(ids, ids.length / 2, ids.length), 4, 0);
            float[] after = model.logits(input, 0, memory, null).toFloatArray();
            float worst = 0;
            for (int j = 0; j < before.length; j++) {
                worst = Math.max(worst, Math.abs(before[j] - after[j]));
            }
            // V = 0 rows contribute exact zeros; only the matmul over 8 vs 12 rows may sum in another order (observed:
            // 1.19e-6, one fp32 ulp of logits near 10); a real change of the output would be orders larger
            assertThat(worst).as("max |logit change| at growth").isLessThanOrEqualTo(4e-6f);
            assertThat(memory.parameters()).hasSize(2 * 3 * 2);

            Path file = tmp.resolve("grown.safetensors");
            MemoryFile.save(memory, file);
            assertThat(SafetensorsFile.open(file).metadata()).containsEntry("width", "12")
                    .containsEntry("initial_width", "8").containsEntry("growth", "0:4:12");
            try (LocasMemory loaded = MemoryFile.load(file, model)) {
                assertThat(loaded.info().growth()).containsExactly(new MemoryInfo.Growth(0, 4, 12));
                assertThat(loaded.info().initialWidth()).isEqualTo(8);
                assertThat(model.logits(input, 0, loaded, null).toFloatArray()).containsExactly(after);
                assertThatThrownBy(() -> Memorizer.grow(model, loaded, ids, 4, 1)).as("no record of cloned neurons")
                        .hasMessageContaining("does not record which frozen neurons");
                Path dense = tmp.resolve("dense");
                DenseFusion.toDense(model, loaded, dense, StoredType.F32);
                try (Qwen3Model fused = Qwen3Model.load(dense)) {
                    assertThat(fused.config().intermediateSize()).isEqualTo(192 + 12);
                    float[] fusedLogits = fused.logits(fused.manager().create(ids, new Shape(1, ids.length)))
                            .toFloatArray();
                    for (int j = 0; j < after.length; j++) {
                        assertThat(fusedLogits[j]).isCloseTo(after[j], offset(1e-4f));
                    }
                }
            }
        }
    }

    @Test
    void aCorruptGrowthHistoryIsRefused() {
        assertThat(MemoryFile.growth("2:4:12;5:4:16", 16)).hasSize(2);
        for (String bad : List.of("2:4", "2:4:12;1:4:16", "2:4:12;5:4:17", "2:x:12", "2:4:12")) {
            assertThatThrownBy(() -> MemoryFile.growth(bad, 16)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void growingPastTheFreeNeuronsIsAClearError() {
        float[] alpha = {5, 4, 3, 2, 1};
        assertThat(Memorizer.selectExcluding(alpha, 2, InitStrategy.HIGHEST, null, Set.of(0, 2)))
                .containsExactly(1, 3);
        assertThat(Memorizer.selectExcluding(alpha, 2, InitStrategy.LOWEST, null, Set.of(4))).containsExactly(3, 2);
        assertThatThrownBy(() -> Memorizer.selectExcluding(alpha, 3, InitStrategy.HIGHEST, null, Set.of(0, 1, 2)))
                .hasMessageContaining("only 2 of the MLP's 5 neurons");
    }

    private static SafetensorsFile init() {
        return SafetensorsFile.open(TINY.resolve("init-reference.safetensors"));
    }

    private static int[] ints(long[] v) {
        return Arrays.stream(v).mapToInt(x -> (int) x).toArray();
    }
}
