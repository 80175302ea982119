package org.locasbench.harness.reliability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.locasbench.harness.reliability.BadInputTest.Setup;
import org.locasbench.model.TestData;

/**
 * Issue 18, the dataset loaders: an empty LoCoMo file, a conversation without questions, an MMLU subject without its
 * dev file or without questions are errors from LocomoDataset / MmluDataset naming the file and the conversation or
 * subject, not an empty or NaN result.
 */
class DatasetErrorsTest {
    static Path tmp;
    static final Map<String, String> MESSAGES = new TreeMap<>();
    static final Path LOCOMO = TestData.dataDir().resolve("locomo/locomo-mini.json");

    @BeforeAll
    static void dir() throws Exception {
        tmp = Files.createTempDirectory("dataset-errors");
        System.setProperty("locas.data.dir", TestData.dataDir().toString());
    }

    @AfterAll
    static void printTable() {
        System.out.println("dataset-errors table:");
        MESSAGES.forEach((k, v) -> System.out.println("| " + k + " | " + v + " |"));
    }

    static Setup locomo(String json) {
        return (d, out) -> {
            Files.writeString(d.resolve("locomo.json"), json);
            return List.of("run", "locomo", "--set", "locomo.file=" + d.resolve("locomo.json"), "--out",
                    out.toString());
        };
    }

    static Setup mmlu(String testCsv, String devCsv) {
        return (d, out) -> {
            Files.createDirectories(d.resolve("mmlu/test"));
            Files.createDirectories(d.resolve("mmlu/dev"));
            Files.writeString(d.resolve("mmlu/test/algebra_test.csv"), testCsv);
            Files.writeString(d.resolve("mmlu/test/anatomy_test.csv"), "Bones?,1,2,3,4,C\n");
            Files.writeString(d.resolve("mmlu/dev/anatomy_dev.csv"), "Skull?,1,2,3,4,A\n");
            if (devCsv != null) {
                Files.writeString(d.resolve("mmlu/dev/algebra_dev.csv"), devCsv);
            }
            return List.of("run", "mmlu", "--set", "mmlu.dir=" + d.resolve("mmlu"), "--out", out.toString());
        };
    }

    static Stream<Arguments> cases() throws Exception {
        String conv = Files.readString(LOCOMO);
        List<Arguments> c = new ArrayList<>();
        c.add(Arguments.of("an empty LoCoMo file", locomo(""), new String[] {"locomo.json: holds no LoCoMo samples",
            "locomo.file"}));
        c.add(Arguments.of("a LoCoMo file with no samples", locomo("[]"), new String[] {"locomo.json: holds no "
            + "LoCoMo samples (the file is empty: [])"}));
        c.add(Arguments.of("a conversation without questions", locomo(conv.replaceFirst("(?s)\"qa\"\\s*:\\s*\\[.*\\]"
                + "\\s*\\}\\s*\\]\\s*$", "\"qa\": []}]")),
                new String[] {"locomo.json: sample conv-26 has no questions ('qa' is [])", "remove the sample"}));
        c.add(Arguments.of("an MMLU subject without its dev file", mmlu("1+1?,1,2,3,4,B\n", null),
                new String[] {"mmlu/dev/algebra_dev.csv: missing", "subject 'algebra'", "k-shot"}));
        c.add(Arguments.of("an MMLU file without questions", mmlu("", "1+1?,1,2,3,4,B\n"),
                new String[] {"mmlu/test/algebra_test.csv: holds no questions"}));
        c.add(Arguments.of("an MMLU dev file with only a header", mmlu("1+1?,1,2,3,4,B\n",
                "question,choice0,choice1,choice2,choice3,answer\n"),
                new String[] {"mmlu/dev/algebra_dev.csv: holds no questions"}));
        c.add(Arguments.of("a PG-19 book whose token count differs from its manifest's", (Setup) (d, out) -> {
            Path manifest = TestData.dataDir().resolve("pg19/manifest.json");
            String json = Files.readString(manifest).replace("\"file\": \"10146.txt\"", "\"file\": \""
                    + TestData.dataDir().resolve("pg19/10146.txt").toAbsolutePath() + "\"")
                    .replace("\"5eef1184a056f038e9373ee6e3e9ff6cad5591d0d434466aa85ef0cdc73add59\": 67304",
                            "\"5eef1184a056f038e9373ee6e3e9ff6cad5591d0d434466aa85ef0cdc73add59\": 67305");
            Files.writeString(d.resolve("manifest.json"), json);
            return List.of("run", "pg19", "--set", "pg19.manifest=" + d.resolve("manifest.json"), "--set",
                    "run.methods=none", "--out", out.toString());
        }, new String[] {"10146.txt: book 10146 has 67304 tokens with", "its manifest records 67305 for that "
            + "tokenizer", "correct the manifest's 'tokens'"}));
        return c.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusedByTheLoader(String name, Setup setup, String[] expected) throws Exception {
        MESSAGES.put(name, BadInputTest.refused(tmp, name, setup, expected));
    }
}
