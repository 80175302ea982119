package org.locasbench.results;

import static org.assertj.core.api.Assertions.assertThat;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class MmluCategoriesTest {
    @Test
    void all57SubjectsInTheFourStandardGroups() {
        assertThat(MmluCategories.bySubject()).hasSize(57);
        Map<String, Integer> counts = new TreeMap<>();
        MmluCategories.bySubject().values().forEach(g -> counts.merge(g, 1, Integer::sum));
        assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of("stem", 19, "humanities", 13,
                "social_sciences", 12, "other", 13));
        // the three subjects of the bundled slice
        assertThat(MmluCategories.groupOf("global_facts")).isEqualTo("other");
        assertThat(MmluCategories.groupOf("marketing")).isEqualTo("other");
        assertThat(MmluCategories.groupOf("high_school_geography")).isEqualTo("social_sciences");
        assertThat(MmluCategories.groupOf("professional_law")).isEqualTo("humanities");
        assertThat(MmluCategories.groupOf("not_a_subject")).isNull();
        assertThat(MmluCategories.label("stem")).isEqualTo("STEM");
        assertThat(MmluCategories.label("social_sciences")).isEqualTo("social sciences");
    }

    @Test
    void everySubjectOfTheFullDataSetHasItsCategory() throws Exception {
        Path test = Path.of(System.getProperty("locas.shared.dir", "../../shared"), "data", "mmlu", "test");
        assumeTrue(Files.isDirectory(test), "skipped: the full MMLU (../shared/data/mmlu) is not here");
        try (Stream<Path> files = Files.list(test)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("_test.csv"))
                    .map(n -> n.substring(0, n.length() - "_test.csv".length())))
                    .containsExactlyInAnyOrderElementsOf(MmluCategories.bySubject().keySet());
        }
    }
}
