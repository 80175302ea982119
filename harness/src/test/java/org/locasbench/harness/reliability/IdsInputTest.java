package org.locasbench.harness.reliability;

import static org.locasbench.harness.reliability.BadInputTest.TINY;

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
 * Issue 18, class 4: an {@code --ids} file is one JSON array of non-negative integers inside the model's vocabulary,
 * and nothing else; a {@code --text} file is UTF-8. Each violation names the file and the element (or byte offset).
 */
class IdsInputTest {
    static Path tmp;
    static final Map<String, String> MESSAGES = new TreeMap<>();

    @BeforeAll
    static void dir() throws Exception {
        tmp = Files.createTempDirectory("ids-input");
        System.setProperty("locas.data.dir", TestData.dataDir().toString());
    }

    @AfterAll
    static void printTable() {
        System.out.println("ids-input table:");
        MESSAGES.forEach((k, v) -> System.out.println("| " + k + " | " + v + " |"));
    }

    static Setup ids(String command, String json) {
        return (d, out) -> {
            Path ids = d.resolve("ids.json");
            Files.writeString(ids, json);
            return List.of(command, "--model", TINY.toString(), "--ids", ids.toString(), "--out", out.toString());
        };
    }

    static Stream<Arguments> cases() {
        List<Arguments> c = new ArrayList<>();
        c.add(Arguments.of("null element", ids("nll", "[5, 6, null, 7]"),
                new String[] {"ids.json", "element 2 is null", "non-negative integer token id"}));
        c.add(Arguments.of("fractional element", ids("nll", "[5, 17.5, 7]"),
                new String[] {"ids.json", "element 1 is 17.5, not an integer"}));
        c.add(Arguments.of("string element", ids("nll", "[\"17\", 5, 7]"),
                new String[] {"ids.json", "element 0 is the string \"17\""}));
        c.add(Arguments.of("boolean element", ids("score", "[5, 6, true]"),
                new String[] {"ids.json", "element 2 is true"}));
        c.add(Arguments.of("nested array", ids("nll", "[[5, 6], 7]"),
                new String[] {"ids.json", "element 0 is a nested or second array"}));
        c.add(Arguments.of("negative id", ids("nll", "[5, -3, 7]"),
                new String[] {"ids.json", "element 1 is -3, a negative token id"}));
        c.add(Arguments.of("id beyond any long", ids("nll", "[5, 100000000000000000000000, 7]"),
                new String[] {"ids.json", "element 1 is 100000000000000000000000, too large for a token id"}));
        c.add(Arguments.of("trailing garbage", ids("nll", "[5, 6, 7] xyz"),
                new String[] {"ids.json", "not a JSON array of token ids after the array", "'xyz'", "line 1"}));
        c.add(Arguments.of("a second concatenated array", ids("nll", "[5, 6, 7][8, 9]"),
                new String[] {"ids.json", "after the array of 3 ids comes a nested or second array",
                    "nothing else"}));
        c.add(Arguments.of("trailing comma", ids("nll", "[5, 6, 7,]"),
                new String[] {"ids.json", "at element 3", "line 1, column 10"}));
        c.add(Arguments.of("truncated array", ids("nll", "[5, 6, 7"),
                new String[] {"ids.json", "at element 3", "end-of-input", "start marker at line 1, column 1"}));
        c.add(Arguments.of("an object", ids("nll", "{\"ids\": [1, 2]}"),
                new String[] {"ids.json", "expected a JSON array of token ids", "found an object"}));
        c.add(Arguments.of("nll: id beyond the vocabulary", ids("nll", "[5, 6, 7, 600, 8]"),
                new String[] {"ids.json: element 3 is token id 600, outside the vocabulary of", "vocab_size 512"}));
        c.add(Arguments.of("score: id beyond the vocabulary", ids("score", "[5, 512]"),
                new String[] {"ids.json: element 1 is token id 512", "ids 0..511"}));
        c.add(Arguments.of("ttt: id beyond the vocabulary", (Setup) (d, out) -> {
            Path ids = d.resolve("ids.json");
            Files.writeString(ids, "[5, 6, 7, 9999]");
            return List.of("ttt", "--model", TINY.toString(), "--ids", ids.toString(), "--out", out.toString());
        }, new String[] {"ids.json: element 3 is token id 9999"}));
        c.add(Arguments.of("text file not UTF-8", (Setup) (d, out) -> {
            Path text = d.resolve("latin1.txt");
            Files.write(text, "caf\u00e9 au lait".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            return List.of("nll", "--model", TINY.toString(), "--text", text.toString(), "--out", out.toString());
        }, new String[] {"latin1.txt", "not UTF-8 (invalid byte 0xE9 at offset 3)"}));
        return c.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusedWithOneLineAndNothingWritten(String name, Setup setup, String[] expected) throws Exception {
        MESSAGES.put(name, BadInputTest.refused(tmp, name, setup, expected));
    }
}
