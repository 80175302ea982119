package org.locasbench.harness.ttt;

import java.nio.file.Path;

/**
 * How a streaming run behaves beyond its training config: the seed of its random stream, what a NaN/Inf loss does,
 * and crash-safe checkpoints ({@code checkpointDir} null: none) written every {@code checkpointEvery} windows.
 *
 * @param fingerprint identifies the run (config, data, model); a checkpoint of another run is refused on resume
 */
public record RunOptions(long seed, TestTimeTrainer.NonFinitePolicy onNonFinite, Path checkpointDir,
        int checkpointEvery, boolean resume, String fingerprint) {
    public static final RunOptions DEFAULT = new RunOptions(0, TestTimeTrainer.NonFinitePolicy.STOP, null, 0, false, "");

    public RunOptions {
        if (checkpointDir != null && checkpointEvery < 1) {
            throw new IllegalArgumentException("checkpoint interval must be >= 1 window, got " + checkpointEvery);
        }
    }
}
