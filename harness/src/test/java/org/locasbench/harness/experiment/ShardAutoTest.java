package org.locasbench.harness.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code --shard auto}: the index and count from a CI's variables, as the README's matrix example sets them. */
class ShardAutoTest {
    private static final List<String> UNITS = List.of("a", "b", "c", "d", "e");

    @Test
    void aMatrixJobAndAnIndexedJobPickTheirUnits() {
        Shard matrix = Shard.parse("auto", Map.of("LOCAS_SHARD_INDEX", "1", "LOCAS_SHARD_COUNT", "2"));
        assertThat(matrix).isEqualTo(new Shard(1, 2));
        assertThat(matrix.select(UNITS)).containsExactly("b", "d");
        Shard indexedJob = Shard.parse("auto", Map.of("JOB_COMPLETION_INDEX", "2", "LOCAS_SHARD_COUNT", "3"));
        assertThat(indexedJob.select(UNITS)).containsExactly("c");
        // the project's own variable wins over Kubernetes'
        assertThat(Shard.parse("auto", Map.of("LOCAS_SHARD_INDEX", "0", "JOB_COMPLETION_INDEX", "2",
                "LOCAS_SHARD_COUNT", "3"))).isEqualTo(new Shard(0, 3));
    }

    @Test
    void everyUnitLandsInExactlyOneShard() {
        int n = 3;
        List<String> all = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.addAll(Shard.parse("auto", Map.of("LOCAS_SHARD_INDEX", String.valueOf(i), "LOCAS_SHARD_COUNT",
                    String.valueOf(n))).select(UNITS));
        }
        assertThat(all).containsExactlyInAnyOrderElementsOf(UNITS);
    }

    @Test
    void missingOrBadVariablesAreOneClearError() {
        assertThatThrownBy(() -> Shard.parse("auto", Map.of("LOCAS_SHARD_INDEX", "0")))
                .hasMessageContaining("LOCAS_SHARD_COUNT").hasMessageContaining("count unset");
        assertThatThrownBy(() -> Shard.parse("auto", Map.of("LOCAS_SHARD_COUNT", "2")))
                .hasMessageContaining("JOB_COMPLETION_INDEX").hasMessageContaining("index unset");
        assertThatThrownBy(() -> Shard.parse("auto", Map.of("LOCAS_SHARD_INDEX", "2", "LOCAS_SHARD_COUNT", "2")))
                .hasMessageContaining("0 <= i < n, got 2/2");
        assertThatThrownBy(() -> Shard.parse("auto", Map.of("LOCAS_SHARD_INDEX", "x", "LOCAS_SHARD_COUNT", "2")))
                .hasMessageContaining("--shard must look like 0/4 or auto");
    }
}
