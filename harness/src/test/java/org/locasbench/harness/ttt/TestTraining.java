package org.locasbench.harness.ttt;

/**
 * Optimiser settings the unit tests train with, spelled out (test parameters, not defaults: the defaults live in
 * experiments/common.yaml and reach code through MethodSetup).
 */
public final class TestTraining {
    private TestTraining() {}

    /** AdamW lr 1e-3, betas 0.9/0.999, eps 1e-8, no weight decay, 1 step per window, NTP (the seed README's Locas). */
    public static TrainingConfig locas() {
        return new TrainingConfig(LossKind.NTP, 0.5, 1e-3, 0.9, 0.999, 1e-8, 0.0, 1, 1024, 64);
    }

    /** The first {@code tokens} ids of the bundled PG-19 book 10146 through the bundled model's tokenizer. */
    public static long[] book10146(int tokens) {
        var library = org.locasbench.harness.data.Pg19Library.load(org.locasbench.model.TestData.dataDir()
                .resolve("pg19/manifest.json"));
        try (var tokenizer = org.locasbench.model.tokenizer.TextTokenizer.load(
                org.locasbench.model.TestData.bundledModel())) {
            return java.util.Arrays.copyOf(tokenizer.encode(org.locasbench.harness.data.Pg19Library.text(
                    library.book("10146"))), tokens);
        }
    }

    /** Temp-Lora's optimiser: AdamW lr 5e-5, eps 1e-7, NTP. */
    public static TrainingConfig tempLora() {
        return new TrainingConfig(LossKind.NTP, 0.5, 5e-5, 0.9, 0.999, 1e-7, 0.0, 1, 1024, 64);
    }
}
