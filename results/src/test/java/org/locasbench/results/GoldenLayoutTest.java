package org.locasbench.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The exact schema-2 layout, checked in under {@code src/test/resources/golden/}, so that any change to the format
 * shows in review. After an intended change: {@code mvn -o -q -pl results test -Dresults.golden.update=true}, then
 * review and commit the diff (and bump {@link Result#SCHEMA_VERSION} if old files no longer read).
 */
class GoldenLayoutTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pg19", "locomo"})
    void writtenLayoutIsTheCheckedInOne(String kind) throws Exception {
        Result r = kind.equals("pg19") ? SampleResults.pg19() : SampleResults.locomo();
        String name = "/golden/" + kind + "-result-v2.json";
        String json = ResultFiles.toJson(r);
        if (Boolean.getBoolean("results.golden.update")) {
            Path src = Path.of("src/test/resources" + name);
            Files.createDirectories(src.getParent());
            Files.writeString(src, json, StandardCharsets.UTF_8);
        }
        var golden = getClass().getResource(name);
        assertThat(golden).as("golden file " + name + " (create it with -Dresults.golden.update=true)").isNotNull();
        String expected = Files.readString(Path.of(golden.toURI()), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo(expected);
        assertThat(ResultFiles.parse(expected, name)).isEqualTo(r);
    }
}
