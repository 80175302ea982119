package org.locasbench.harness.config;

import org.locasbench.harness.ttt.TestTimeTrainer.NonFinitePolicy;

/**
 * Section {@code reliability}: what a non-finite training loss does, crash-safe checkpoints and resuming.
 *
 * @param onNonFinite stop (no metrics written) or skip_window (that window's update is skipped)
 * @param checkpointDir checkpoints per run go to {@code checkpointDir/RUN}; null = none
 * @param checkpointEvery windows between checkpoints
 */
public record ReliabilitySettings(NonFinitePolicy onNonFinite, String checkpointDir, int checkpointEvery,
        boolean resume) {
    public ReliabilitySettings {
        ConfigException.require(onNonFinite != null, "reliability.onNonFinite", "must be stop or skip_window");
        ConfigException.require(checkpointEvery >= 1, "reliability.checkpointEvery", "must be >= 1 window, got "
                + checkpointEvery);
        ConfigException.require(!resume || checkpointDir != null, "reliability.resume",
                "needs reliability.checkpointDir (where the checkpoints are)");
    }
}
