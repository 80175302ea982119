package org.locasbench.harness.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.locasbench.harness.ttt.WindowResult;

/** PPL at marks by hand: the window that crosses a mark is split at it; a mark past the end is absent. */
class StreamMetricsTest {
    // stream of 12 tokens: window 0 = positions 0..3 (token 0 unscored: 3 scored), window 1 = 4..7, window 2 = 8..11
    static final List<WindowResult> WINDOWS = List.of(
            window(0, 0, 4, 1, 2, 3),
            window(1, 4, 8, 4, 5, 6, 7),
            window(2, 8, 12, 8, 9, 10, 11));

    static WindowResult window(int index, int start, int end, float... nll) {
        double sum = 0;
        for (float v : nll) {
            sum += v;
        }
        return new WindowResult(index, start, end, nll.length, sum, Double.NaN, 0, 0, nll, 0, 0);
    }

    @Test
    void aMarkInsideAWindowCountsExactlyTheTokensBeforeIt() {
        Map<Integer, Double> at = StreamMetrics.perplexityAt(WINDOWS, List.of(6, 8, 9, 12, 13, 50000));
        // before position 6: tokens 1..5 -> NLL 1,2,3 (window 0) and 4,5 (first two of window 1)
        assertThat(at.get(6)).isCloseTo(Math.exp((1 + 2 + 3 + 4 + 5) / 5.0), offset(1e-12));
        assertThat(at.get(8)).isCloseTo(Math.exp(28 / 7.0), offset(1e-12)); // a window end: no split
        assertThat(at.get(9)).isCloseTo(Math.exp(36 / 8.0), offset(1e-12));
        assertThat(at.get(12)).isCloseTo(StreamMetrics.perplexity(WINDOWS), offset(1e-12));
        assertThat(at).containsOnlyKeys(6, 8, 9, 12);
        assertThat(StreamMetrics.absentMarks(WINDOWS, List.of(6, 12, 13, 50000))).containsExactly(13, 50000);
    }

    @Test
    void theOldRuleWouldHaveCountedOnlyWholeWindows() {
        // "@6" under the old rule covered windows ending at or before 6: window 0 only, exp(2); now exp(3)
        assertThat(StreamMetrics.perplexityAt(WINDOWS, List.of(6)).get(6)).isNotCloseTo(Math.exp(2), offset(0.1));
    }

    @Test
    void perTokenNllMustMatchTheScoredCount() {
        assertThatThrownBy(() -> new WindowResult(0, 0, 4, 3, 6, 0, 0, 0, new float[] {1, 2}, 0, 0))
                .hasMessageContaining("2 token NLLs for 3 scored tokens");
    }
}
