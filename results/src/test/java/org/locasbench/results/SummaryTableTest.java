package org.locasbench.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryTableTest {
    @Test
    void streamingTableHasOneRowPerResultWithDeltaToNone() {
        Result locas = SampleResults.pg19();
        Result none = Result.builder("pg19", "pg19-10146-none", "10146")
                .method(MethodInfo.of(Metrics.Methods.NONE, "none", 0, SampleResults.MODEL))
                .metric(Metrics.PPL, 45.5).metric(Metrics.TEMP_LORA_PPL, 46.75)
                .metric(Metrics.PARAMS_ADDED_PERCENT, 0).metric(Metrics.WALL_SECONDS, 1.5)
                .metric(Metrics.TOKENS_PER_SECOND, 512).metric(Metrics.WALL_RELATIVE_TO_NONE, 1)
                .environment(SampleResults.environment("cpu")).config(SampleResults.config("pg19")).build();
        String table = SummaryTable.of("pg19", List.of(none, locas));
        assertThat(table.lines()).hasSize(3);
        assertThat(table.lines().toList().get(0)).startsWith("book     method").contains("TempLoraPPL", "x none");
        assertThat(table).contains("10146    none                          45.500    +0.000     46.750     0.000"
                + "       1.5     1.00       512");
        assertThat(table).contains("10146    locas[highest,r=64]           41.500    -4.000     42.250     4.688");
        // an ablation has no none: its delta column is a dash, never "NaN"
        String ablation = SummaryTable.streaming(List.of(SampleResults.ablation()));
        assertThat(ablation).doesNotContain("NaN");
        assertThat(ablation.lines().toList().get(1).split("\\s+")[3]).isEqualTo("-");
    }

    @Test
    void mmluAndLocomoTables() {
        assertThat(SummaryTable.of("mmlu", List.of(SampleResults.mmlu())))
                .contains("locas-sidecar        0.5000     0.5000          2     1.00       400")
                .contains("q/s", "tok/s");
        String locomo = SummaryTable.of("locomo", List.of(SampleResults.locomo()));
        assertThat(locomo.lines().toList().get(1))
                .isEqualTo("conv-26  none                       0.2500        -   0.5000        -        -   0.0000"
                        + "    0.1250");
    }
}
