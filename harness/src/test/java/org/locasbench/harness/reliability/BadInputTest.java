package org.locasbench.harness.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.locasbench.harness.cli.Main;
import org.locasbench.model.engine.FastPath;
import org.locasbench.model.TestData;
import org.locasbench.model.safetensors.SafetensorsFile;
import org.locasbench.model.safetensors.SafetensorsWriter;
import org.locasbench.model.safetensors.TensorEntry;

/**
 * Bad inputs through the command line: each gets one clear error naming the file or field and what to do, the
 * process status is non-zero, and no output file is left behind.
 */
class BadInputTest {
    static Path tmp;
    static final Path TINY = TestData.fixture("tiny-qwen3");
    static final Path IDS = TestData.fixture("tiny-qwen3/ids.json");
    static final Map<String, String> MESSAGES = new TreeMap<>();

    interface Setup {
        List<String> args(Path dir, Path out) throws Exception;
    }

    @BeforeAll
    static void dir() throws Exception {
        tmp = Files.createTempDirectory("bad-input");
        System.setProperty("locas.data.dir", TestData.dataDir().toString());
    }

    @AfterAll
    static void printTable() {
        System.out.println("bad-input table:");
        MESSAGES.forEach((k, v) -> System.out.println("| " + k + " | " + v.replace("\n", " ") + " |"));
    }

    /** A copy of tiny-qwen3 whose files the case may then break. */
    static Path model(Path dir) throws Exception {
        Path m = dir.resolve("model");
        Files.createDirectories(m);
        Files.copy(TINY.resolve("config.json"), m.resolve("config.json"));
        Files.copy(TINY.resolve("model.safetensors"), m.resolve("model.safetensors"));
        return m;
    }

    static void header(Path file, String json, int dataBytes) throws Exception {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length)
                .put(h);
        Files.write(file, b.array());
    }

    static List<String> nll(Path model, Path out) {
        return List.of("nll", "--model", model.toString(), "--ids", IDS.toString(), "--out", out.toString());
    }

    static Stream<Arguments> cases() {
        List<Arguments> c = new ArrayList<>();
        c.add(Arguments.of("missing config.json", (Setup) (d, out) -> {
            Path m = model(d);
            Files.delete(m.resolve("config.json"));
            return nll(m, out);
        }, "no config.json here"));
        c.add(Arguments.of("corrupt config.json", (Setup) (d, out) -> {
            Path m = model(d);
            Files.writeString(m.resolve("config.json"), "{\"model_type\": \"qwen3\",");
            return nll(m, out);
        }, "config.json: not valid JSON"));
        c.add(Arguments.of("unknown model_type", (Setup) (d, out) -> {
            Path m = model(d);
            Files.writeString(m.resolve("config.json"), Files.readString(m.resolve("config.json"))
                    .replace("\"qwen3\"", "\"llama\""));
            return nll(m, out);
        }, "model_type is 'llama'"));
        c.add(Arguments.of("truncated safetensors", (Setup) (d, out) -> {
            Path m = model(d);
            byte[] b = Files.readAllBytes(m.resolve("model.safetensors"));
            Files.write(m.resolve("model.safetensors"), java.util.Arrays.copyOf(b, b.length - 4096));
            return nll(m, out);
        }, "truncated"));
        c.add(Arguments.of("overlapping offsets", (Setup) (d, out) -> {
            Path m = model(d);
            header(m.resolve("model.safetensors"), "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                    + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12);
            return nll(m, out);
        }, "overlaps the previous tensor"));
        c.add(Arguments.of("out-of-range offsets", (Setup) (d, out) -> {
            Path m = model(d);
            header(m.resolve("model.safetensors"), "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}",
                    8);
            return nll(m, out);
        }, "outside the data section"));
        c.add(Arguments.of("dtype x shape does not match bytes", (Setup) (d, out) -> {
            Path m = model(d);
            header(m.resolve("model.safetensors"), "{\"a\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[0,8]}}",
                    8);
            return nll(m, out);
        }, "needs 6 bytes but data_offsets span 8"));
        c.add(Arguments.of("missing tensor", (Setup) (d, out) -> {
            Path m = model(d);
            SafetensorsFile src = SafetensorsFile.open(TINY.resolve("model.safetensors"));
            SafetensorsWriter w = new SafetensorsWriter();
            for (TensorEntry e : src.tensors().values()) {
                if (!e.name().equals("model.norm.weight")) {
                    w.addRaw(e.name(), e.type(), e.shape(), src.bytes(e.name()));
                }
            }
            w.write(m.resolve("model.safetensors"));
            return nll(m, out);
        }, "missing tensor 'model.norm.weight'"));
        c.add(Arguments.of("tensor shape does not match config", (Setup) (d, out) -> {
            Path m = model(d);
            Files.writeString(m.resolve("config.json"), Files.readString(m.resolve("config.json"))
                    .replace("\"intermediate_size\": 192", "\"intermediate_size\": 100"));
            return nll(m, out);
        }, "config.json implies [100, 64]"));
        c.add(Arguments.of("tokenizer missing", (Setup) (d, out) -> {
            Path text = d.resolve("t.txt");
            Files.writeString(text, "hello");
            return List.of("nll", "--model", model(d).toString(), "--text", text.toString(), "--out", out.toString());
        }, "tokenizer.json not found"));
        c.add(Arguments.of("tokenizer for another vocabulary", (Setup) (d, out) -> {
            Path m = model(d);
            Files.copy(TestData.bundledModel().resolve("tokenizer.json"), m.resolve("tokenizer.json"));
            Path text = d.resolve("t.txt");
            Files.writeString(text, "hello");
            return List.of("nll", "--model", m.toString(), "--text", text.toString(), "--out", out.toString());
        }, "belongs to another model"));
        c.add(Arguments.of("memory for another model shape", (Setup) (d, out) -> List.of("nll", "--model",
                TestData.fixture("tiny-qwen3-untied").toString(), "--ids", IDS.toString(), "--memory",
                TINY.resolve("locas-memory.safetensors").toString(), "--out", out.toString()),
                "hidden_size 64 and 2 layers"));
        c.add(Arguments.of("not a memory file", (Setup) (d, out) -> List.of("nll", "--model", TINY.toString(), "--ids",
                IDS.toString(), "--memory", TINY.resolve("reference.safetensors").toString(), "--out", out.toString()),
                "not a Locas memory file"));
        c.add(Arguments.of("ids file is not a JSON array", (Setup) (d, out) -> {
            Path ids = d.resolve("ids.json");
            Files.writeString(ids, "{\"ids\": [1, 2]}");
            return List.of("nll", "--model", TINY.toString(), "--ids", ids.toString(), "--out", out.toString());
        }, "expected a JSON array of token ids"));
        c.add(Arguments.of("PG-19 empty book", (Setup) (d, out) -> {
            Files.writeString(d.resolve("empty.txt"), "\r\n");
            Files.writeString(d.resolve("manifest.json"), "{\"books\":[{\"id\":\"1\",\"file\":\"empty.txt\"}]}");
            return List.of("run", "pg19", "--set", "pg19.manifest=" + d.resolve("manifest.json"), "--set", "pg19.books=1",
                    "--out", out.toString());
        }, "book 1 is empty"));
        c.add(Arguments.of("LoCoMo JSON missing a field", (Setup) (d, out) -> {
            String json = Files.readString(TestData.dataDir().resolve("locomo/locomo-mini.json"))
                    .replaceFirst("\"speaker\": \"Caroline\",", "");
            Files.writeString(d.resolve("locomo.json"), json);
            return List.of("run", "locomo", "--set", "locomo.file=" + d.resolve("locomo.json"), "--out", out.toString());
        }, "missing field 'speaker'"));
        c.add(Arguments.of("MMLU row with 3 choices", (Setup) (d, out) -> {
            Files.createDirectories(d.resolve("mmlu/test"));
            Files.createDirectories(d.resolve("mmlu/dev"));
            Files.writeString(d.resolve("mmlu/test/algebra_test.csv"), "1+1?,1,2,3,4,B\n2+2?,3,4,5,B\n");
            Files.writeString(d.resolve("mmlu/dev/algebra_dev.csv"), "1+1?,1,2,3,4,B\n");
            return List.of("run", "mmlu", "--set", "mmlu.dir=" + d.resolve("mmlu"), "--out", out.toString());
        }, "row 2 has 3 choices"));
        c.add(Arguments.of("unknown CLI option", (Setup) (d, out) -> List.of("ttt", "--model", TINY.toString(),
                "--ids", IDS.toString(), "--widht", "8", "--out", out.toString()), "'--widht'"));
        c.add(Arguments.of("window 0", (Setup) (d, out) -> List.of("run", "pg19", "--set", "window.size=0",
                "--out", out.toString()), "invalid config value 'window.size': must be a positive number of tokens, got 0 "
                + "(set by --set)"));
        c.add(Arguments.of("negative learning rate", (Setup) (d, out) -> List.of("ttt", "--model", TINY.toString(),
                "--ids", IDS.toString(), "--lr", "-0.1", "--out", out.toString()),
                "invalid config value 'locas.lr': must be a positive learning rate, got -0.1 (set by --lr)"));
        c.add(Arguments.of("unknown config key", (Setup) (d, out) -> List.of("run", "pg19", "--set", "window.sise=3",
                "--out", out.toString()), "invalid config value 'window.sise': unknown key (set by --set); known keys "
                + "of 'window': [context, longContext, size]"));
        c.add(Arguments.of("key without its section", (Setup) (d, out) -> List.of("run", "pg19", "--set", "size=3",
                "--out", out.toString()), "did you mean window.size?"));
        return c.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void clearErrorNonZeroStatusAndNoOutput(String name, Setup setup, String expected) throws Exception {
        MESSAGES.put(name, refused(tmp, name, setup, expected));
    }

    @Test
    void aNamedNativeLibraryThatIsMissingIsOneErrorLine() throws Exception {
        Path missing = tmp.resolve("no-native/liblocasbench_native.so");
        String before = System.getProperty(FastPath.LIBRARY_PROPERTY);
        System.setProperty(FastPath.LIBRARY_PROPERTY, missing.toString());
        FastPath.reset();
        try {
            MESSAGES.put("missing native library", refused(tmp, "missing native library", (d, out) -> List.of("ttt",
                    "--model", TINY.toString(), "--ids", IDS.toString(), "--out", out.toString()), missing.toString(),
                    "does not exist", "native/build.sh", "unset -D" + FastPath.LIBRARY_PROPERTY));
        } finally {
            if (before == null) {
                System.clearProperty(FastPath.LIBRARY_PROPERTY);
            } else {
                System.setProperty(FastPath.LIBRARY_PROPERTY, before);
            }
            FastPath.reset();
        }
    }

    /**
     * Runs one case in its own directory under {@code root} and checks the contract: exit status 2, exactly one
     * {@code error:} line containing every {@code expected} text (file, field, fix), no stack trace, and nothing left
     * behind (no {@code out}, no new file in the case directory, no {@code .partial} staging). Returns the error line.
     */
    static String refused(Path root, String name, Setup setup, String... expected) throws Exception {
        Path dir = Files.createDirectories(root.resolve(name.replaceAll("[^a-zA-Z0-9]+", "-")));
        Path out = dir.resolve("out");
        List<String> args = setup.args(dir, out);
        List<Path> before = listing(dir);
        PrintStream oldErr = System.err;
        PrintStream oldOut = System.out;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            code = Main.run(args.toArray(String[]::new));
        } finally {
            System.setErr(oldErr);
            System.setOut(oldOut);
        }
        String all = err.toString(StandardCharsets.UTF_8);
        List<String> errors = all.lines().filter(l -> l.startsWith("error: ")).toList();
        String message = errors.isEmpty() ? all : errors.get(0);
        assertThat(code).as(all).isEqualTo(2);
        assertThat(errors).as(all).hasSize(1);
        assertThat(message).contains(expected);
        assertThat(all).as("one message, no stack trace").doesNotContain("\tat ").doesNotContain("Exception:");
        assertThat(out).as("no output left behind").doesNotExist();
        assertThat(listing(dir)).as("nothing new in the case directory").isEqualTo(before);
        return message;
    }

    static List<Path> listing(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.sorted().toList();
        }
    }
}
