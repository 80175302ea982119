package org.locasbench.reports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failure categories sort the messages this project's failures really carry, and the regression gate's rows
 * become Allure tests with people's names and stable history ids.
 */
class AllureExtrasTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    static BaselineGate.Row row(String metric, double baseline, double current, BaselineGate.Status status) {
        return new BaselineGate.Row("pg19", "pg19-10146-locas-highest-r-64", metric, baseline, current, 0.02, true,
                "lower", status);
    }

    /** The first category (Allure's order) whose status and message regex match, as Allure assigns them. */
    static String category(JsonNode categories, String status, String message) {
        for (JsonNode c : categories) {
            boolean statusOk = false;
            for (JsonNode s : c.get("matchedStatuses")) {
                statusOk |= s.asText().equals(status);
            }
            if (statusOk && (!c.has("messageRegex") || Pattern.compile(c.get("messageRegex").asText())
                    .matcher(message).matches())) {
                return c.get("name").asText();
            }
        }
        return null;
    }

    @Test
    void categoriesSortRegressionsNonFiniteValuesAndBadInput() throws Exception {
        AllureExtras.writeCategories(tmp);
        JsonNode categories = JSON.readTree(tmp.resolve("categories.json").toFile());
        String regression = AllureExtras.message(row("ppl", 41.5, 43.0, BaselineGate.Status.REGRESSED));
        String missing = AllureExtras.message(row("ppl_at_50000", 41.5, Double.NaN, BaselineGate.Status.MISSING));
        assertThat(regression).startsWith("regression: ppl of pg19-10146-locas-highest-r-64 moved 41.5000 -> 43.0000")
                .contains("tolerance 2.0%");
        assertThat(category(categories, "failed", regression)).isEqualTo("Regression beyond the accepted baseline");
        assertThat(category(categories, "failed", missing)).isEqualTo("Regression beyond the accepted baseline");
        // messages as FiniteResults, the training loop and the CLI write them
        assertThat(category(categories, "failed", "pg19-10146-locas: ppl: NaN is not a finite number, so nothing was "
                + "written")).isEqualTo("Non-finite value");
        assertThat(category(categories, "broken", "non-finite training loss at window 3")).isEqualTo("Non-finite value");
        assertThat(category(categories, "failed", "expected exit 0 but was 2: error: data/pg19/manifest.json: "
                + "books[0].sha256 does not match")).isEqualTo("Bad input");
        assertThat(category(categories, "failed", "expected: 3.0 but was: 4.0")).isEqualTo("Other test failures");
        assertThat(category(categories, "broken", "java.lang.IllegalStateException: boom"))
                .isEqualTo("Broken tests (exceptions)");
        assertThat(AllureExtras.message(row("ppl", 41.5, 41.0, BaselineGate.Status.IMPROVED))).isNull();
    }

    @Test
    void gateRowsBecomeNamedTestsWithStableHistory() throws Exception {
        List<BaselineGate.Row> rows = List.of(row("ppl", 41.5, 43.0, BaselineGate.Status.REGRESSED),
                row("tokens_per_second", 500, 510, BaselineGate.Status.OK));
        Path a = Files.createDirectories(tmp.resolve("a"));
        Path b = Files.createDirectories(tmp.resolve("b"));
        assertThat(AllureExtras.writeGateResults(a, rows, 1000)).isEqualTo(1);
        AllureExtras.writeGateResults(b, rows, 2000);
        List<JsonNode> first = read(a);
        List<JsonNode> second = read(b);
        assertThat(first).hasSize(2);
        JsonNode failed = first.stream().filter(t -> t.get("status").asText().equals("failed")).findFirst()
                .orElseThrow();
        assertThat(failed.get("name").asText()).isEqualTo("Regression gate · pg19-10146-locas-highest-r-64 · ppl");
        assertThat(failed.at("/statusDetails/message").asText()).startsWith("regression: ppl");
        assertThat(labels(failed)).contains("epic=PG-19", "feature=regression gate",
                "story=pg19-10146-locas-highest-r-64", "suite=Regression gate");
        assertThat(failed.at("/links/0/url").asText()).isEqualTo("../comparison/index.html#gate");
        assertThat(first.stream().map(t -> t.get("historyId").asText()).sorted().toList())
                .as("the same row keeps its history id across runs")
                .isEqualTo(second.stream().map(t -> t.get("historyId").asText()).sorted().toList())
                .doesNotHaveDuplicates();
    }

    static List<JsonNode> read(Path dir) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.toString().endsWith("-result.json")).toList()) {
                out.add(JSON.readTree(p.toFile()));
            }
        }
        return out;
    }

    static List<String> labels(JsonNode test) {
        List<String> out = new ArrayList<>();
        test.get("labels").forEach(l -> out.add(l.get("name").asText() + "=" + l.get("value").asText()));
        return out;
    }
}
