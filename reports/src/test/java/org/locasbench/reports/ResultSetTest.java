package org.locasbench.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultSetTest {
    @TempDir
    Path tmp;

    @Test
    void groupsTheSampleResultsByExperiment() throws Exception {
        ResultSet set = ResultSet.load(List.of(Path.of(getClass().getResource("/results").toURI()),
                tmp.resolve("absent")));
        assertThat(set.byExperiment()).containsOnlyKeys("locomo", "mmlu", "pg19");
        assertThat(set.of("pg19")).hasSize(3);
        assertThat(set.of("ablation")).isEmpty();
    }

    @Test
    void aSchemaOneResultStopsTheReportWithWhatToDo() throws Exception {
        Path dir = tmp.resolve("pg19");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("pg19-summary.json"), "{\"name\": \"pg19-summary\"}"); // not a result: skipped
        Files.writeString(dir.resolve("pg19-10146-none.json"), "{\"schema_version\": 1, \"experiment\": \"pg19\", "
                + "\"name\": \"pg19-10146-none\", \"metrics\": {\"ppl\": 45.8}}");
        assertThatThrownBy(() -> ResultSet.load(List.of(tmp))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(dir.resolve("pg19-10146-none.json") + ": results schema 1 (written before locas-bench "
                        + "0.2); re-run the experiment to get schema 2");
    }
}
