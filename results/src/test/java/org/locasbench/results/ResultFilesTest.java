package org.locasbench.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultFilesTest {
    @TempDir
    Path tmp;

    private static Path resource(String name) throws Exception {
        return Path.of(ResultFilesTest.class.getResource(name).toURI());
    }

    /** A valid sample's tree, edited, written to a file; returns the file. */
    private Path edited(Result r, Consumer<ObjectNode> edit) throws Exception {
        ObjectNode tree = (ObjectNode) ResultFiles.MAPPER.readTree(ResultFiles.toJson(r));
        edit.accept(tree);
        Path f = tmp.resolve("edited-" + System.nanoTime() + ".json");
        ResultFiles.MAPPER.writeValue(f.toFile(), tree);
        return f;
    }

    @Test
    void writesAtomicallyAndReadsBack() throws Exception {
        Path dir = tmp.resolve("out/pg19");
        Path f = ResultFiles.write(dir, SampleResults.pg19());
        assertThat(f).isEqualTo(dir.resolve("pg19-10146-locas-highest-r-64.json"));
        assertThat(ResultFiles.read(f)).isEqualTo(SampleResults.pg19());
        ResultFiles.write(dir, SampleResults.pg19().withMetric(Metrics.PPL, 40.0)); // replaces
        assertThat(ResultFiles.read(f).requireMetric(Metrics.PPL)).isEqualTo(40.0);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).as("no temporary file left")
                    .containsExactly("pg19-10146-locas-highest-r-64.json");
        }
        assertThat(ResultFiles.writeSvg(dir, "curves", "<svg/>")).hasContent("<svg/>");
    }

    @Test
    void aSchemaOneFileIsRefusedWithWhatToDo() throws Exception {
        Path v1 = resource("/schema1/pg19-10146-none.json");
        assertThatThrownBy(() -> ResultFiles.read(v1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(v1 + ": results schema 1 (written before locas-bench 0.2); re-run the experiment to get "
                        + "schema 2");
        Path dir = tmp.resolve("mixed");
        Files.createDirectories(dir);
        Files.copy(v1, dir.resolve("old.json"));
        ResultFiles.write(dir, SampleResults.pg19());
        assertThatThrownBy(() -> ResultFiles.readDirectory(dir)).hasMessageContaining("old.json: results schema 1");
    }

    @Test
    void unknownSchemaVersionsAreRefused() throws Exception {
        Path f = edited(SampleResults.pg19(), t -> t.put("schema_version", 3));
        assertThatThrownBy(() -> ResultFiles.read(f))
                .hasMessage(f + ": results schema 3 is not supported; this build reads schema 2");
        Path g = edited(SampleResults.pg19(), t -> t.put("schema_version", "2"));
        assertThatThrownBy(() -> ResultFiles.read(g)).hasMessageContaining("field 'schema_version' is \"2\"");
        Path h = edited(SampleResults.pg19(), t -> t.remove("schema_version"));
        assertThatThrownBy(() -> ResultFiles.read(h)).hasMessage(h + ": missing field 'schema_version'");
    }

    @Test
    void missingWrongAndUnknownFieldsAreErrorsNamingFileAndField() throws Exception {
        Result pg19 = SampleResults.pg19();
        Path noMetrics = edited(pg19, t -> t.remove("metrics"));
        assertThatThrownBy(() -> ResultFiles.read(noMetrics)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(noMetrics + ": missing field 'metrics'");
        Path noWidth = edited(pg19, t -> ((ObjectNode) t.get("method")).remove("width"));
        assertThatThrownBy(() -> ResultFiles.read(noWidth)).hasMessage(noWidth + ": missing field 'method.width'");
        Path noInit = edited(pg19, t -> ((ObjectNode) t.get("method")).remove("init"));
        assertThatThrownBy(() -> ResultFiles.read(noInit)).as("optional fields are written as null, never left out")
                .hasMessage(noInit + ": missing field 'method.init'");
        Path nullId = edited(pg19, t -> ((ObjectNode) t.get("method")).putNull("id"));
        assertThatThrownBy(() -> ResultFiles.read(nullId)).hasMessage(nullId + ": missing field 'method.id'");
        Path nullCpus = edited(pg19, t -> ((ObjectNode) t.get("environment").get("hardware")).putNull("cpus"));
        assertThatThrownBy(() -> ResultFiles.read(nullCpus))
                .hasMessageStartingWith(nullCpus + ": field 'environment.hardware.cpus'");
        Path noTime = edited(pg19, t -> ((ObjectNode) t.get("environment")).remove("timestamp"));
        assertThatThrownBy(() -> ResultFiles.read(noTime))
                .hasMessage(noTime + ": missing field 'environment.timestamp'");
        Path unknown = edited(pg19, t -> ((ObjectNode) t.get("method")).put("book", "10146"));
        assertThatThrownBy(() -> ResultFiles.read(unknown)).hasMessage(unknown + ": unknown field 'method.book'");
        Path text = edited(pg19, t -> ((ObjectNode) t.get("metrics")).put("ppl", "low"));
        assertThatThrownBy(() -> ResultFiles.read(text)).hasMessageStartingWith(text + ": field 'metrics.ppl'");
        Path nan = edited(pg19, t -> ((ObjectNode) t.get("metrics")).put("ppl", "NaN"));
        assertThatThrownBy(() -> ResultFiles.read(nan)).hasMessageContaining(nan + ": ")
                .hasMessageContaining("metric 'ppl' is NaN");
        Path noQuestion = edited(SampleResults.locomo(), t -> ((ObjectNode) t.get("answers").get(1))
                .putNull("question"));
        assertThatThrownBy(() -> ResultFiles.read(noQuestion))
                .hasMessage(noQuestion + ": missing field 'answers[1].question'");
        Path noScore = edited(SampleResults.locomo(), t -> ((ObjectNode) t.get("answers").get(0)).remove("score"));
        assertThatThrownBy(() -> ResultFiles.read(noScore))
                .hasMessage(noScore + ": missing field 'answers[0].score'");
        Path badSeries = edited(pg19, t -> ((ArrayNode) t.get("series").get("window_nll")).add("x"));
        assertThatThrownBy(() -> ResultFiles.read(badSeries))
                .hasMessageStartingWith(badSeries + ": field 'series.window_nll[3]'");
        Path truncated = tmp.resolve("truncated.json");
        Files.writeString(truncated, ResultFiles.toJson(pg19).substring(0, 100));
        assertThatThrownBy(() -> ResultFiles.read(truncated)).hasMessageStartingWith(truncated + ": not valid JSON");
    }

    @Test
    void aDirectoryIsReadRecursivelySkippingOtherJson() throws Exception {
        for (Result r : SampleResults.all()) {
            ResultFiles.write(tmp.resolve(r.experiment()), r);
        }
        Files.writeString(tmp.resolve("pg19/pg19-summary.json"), "{\"name\": \"pg19-summary\", \"none\": {}}");
        Files.writeString(tmp.resolve("pg19/curves.svg"), "<svg/>");
        List<Result> all = ResultFiles.readDirectory(tmp);
        assertThat(all).extracting(Result::experiment).containsExactly("ablation", "locomo", "mmlu", "pg19");
        assertThat(all).containsExactlyInAnyOrderElementsOf(SampleResults.all());
        assertThat(ResultFiles.readDirectory(tmp.resolve("absent"))).isEmpty();
    }
}
