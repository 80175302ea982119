package org.locasbench.reports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The experiment suites' Allure results, as the harness module wrote them earlier in the same {@code mvn verify}
 * (the reactor builds reports after harness), read people's names: epic = experiment, feature = method, story = unit,
 * display name "PG-19 · book 10146 · locas[highest,r=64]", a link to the experiment's section of the comparison page.
 */
class AllureLabelsTest {
    static final Set<String> EPICS = Set.of("PG-19", "Init ablation", "MMLU", "LoCoMo");

    @Test
    void experimentTestsAreNamedForPeopleAndLinkToTheirSection() throws Exception {
        Path dir = Path.of(System.getProperty("allure.results.directory", "target/allure-results"));
        List<JsonNode> experimentTests = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            for (JsonNode t : AllureExtrasTest.read(dir)) {
                if (AllureExtrasTest.labels(t).stream().anyMatch(l -> l.startsWith("epic=")
                        && EPICS.contains(l.substring(5)))) {
                    experimentTests.add(t);
                }
            }
        }
        Assumptions.assumeFalse(experimentTests.isEmpty(), "no experiment suite results in " + dir + ": run the "
                + "harness suites first (mvn verify runs them before this module)");
        Map<String, Integer> perEpic = new TreeMap<>();
        for (JsonNode t : experimentTests) {
            List<String> labels = AllureExtrasTest.labels(t);
            String epic = labels.stream().filter(l -> l.startsWith("epic=")).findFirst().orElseThrow().substring(5);
            perEpic.merge(epic, 1, Integer::sum);
            for (String name : new String[] {"epic", "feature", "story"}) {
                assertThat(labels).as("one %s label on %s", name, t.get("fullName"))
                        .filteredOn(l -> l.startsWith(name + "=")).hasSize(1);
            }
            String feature = value(labels, "feature");
            String story = value(labels, "story");
            assertThat(feature).as("feature of %s", t.get("fullName")).isNotBlank();
            assertThat(story).as("story of %s", t.get("fullName")).isNotBlank();
            assertThat(t.get("name").asText()).isEqualTo(epic + " · " + story + " · " + feature);
            String section = switch (epic) {
                case "PG-19" -> "pg19";
                case "Init ablation" -> "ablation";
                case "MMLU" -> "mmlu";
                default -> "locomo";
            };
            List<String> urls = new ArrayList<>();
            t.path("links").forEach(l -> urls.add(l.get("url").asText()));
            assertThat(urls).contains("../comparison/index.html#" + section);
        }
        assertThat(perEpic.keySet()).as("every experiment suite labels its tests").isEqualTo(EPICS);
        System.out.println("Allure experiment tests per epic: " + perEpic);
    }

    private static String value(List<String> labels, String name) {
        return labels.stream().filter(l -> l.startsWith(name + "=")).map(l -> l.substring(name.length() + 1))
                .findFirst().orElse(null);
    }
}
