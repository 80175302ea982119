package org.locasbench.harness.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.locasbench.harness.reliability.BadInputTest.IDS;
import static org.locasbench.harness.reliability.BadInputTest.TINY;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
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
import org.locasbench.harness.reliability.BadInputTest.Setup;
import org.locasbench.model.TestData;

/**
 * Issue 18, class 5: every output location is checked when the command starts (one error line within a second, before
 * a model is loaded), directories are written as one unit, and staging left by a killed export is cleaned up.
 */
class OutputLocationTest {
    static Path tmp;
    static final Map<String, String> MESSAGES = new TreeMap<>();
    static final String MEMORY = TINY.resolve("locas-memory.safetensors").toString();
    static final String ADAPTER = TestData.fixture("tiny-qwen3-lora-peft").toString();

    @BeforeAll
    static void dir() throws Exception {
        tmp = Files.createTempDirectory("output-location");
        System.setProperty("locas.data.dir", TestData.dataDir().toString());
        run("nll", "--help"); // load picocli's classes once, so the timing below is the command's
    }

    @AfterAll
    static void printTable() {
        System.out.println("output-location table:");
        MESSAGES.forEach((k, v) -> System.out.println("| " + k + " | " + v + " |"));
    }

    static Path file(Path d, String name) throws Exception {
        return Files.writeString(d.resolve(name), "not a directory");
    }

    static Path nonEmpty(Path d, String name) throws Exception {
        Path dir = Files.createDirectories(d.resolve(name));
        Files.writeString(dir.resolve("keep.txt"), "someone's file");
        return dir;
    }

    static List<String> ttt(String... more) {
        List<String> args = new ArrayList<>(List.of("ttt", "--model", TINY.toString(), "--ids", IDS.toString(),
                "--window", "8"));
        args.addAll(List.of(more));
        return args;
    }

    static Stream<Arguments> cases() {
        List<Arguments> c = new ArrayList<>();
        c.add(Arguments.of("nll --out under a regular file", (Setup) (d, out) -> List.of("nll", "--model",
                TINY.toString(), "--ids", IDS.toString(), "--out", file(d, "f.txt").resolve("nll.json").toString()),
                new String[] {"--out ", "f.txt/nll.json: lies under ", "which is a file, not a directory"}));
        c.add(Arguments.of("nll --out an existing directory", (Setup) (d, out) -> List.of("nll", "--model",
                TINY.toString(), "--ids", IDS.toString(), "--out", Files.createDirectories(d.resolve("res"))
                        .toString()), new String[] {"--out ", "res: is an existing directory, but a file is written"}));
        c.add(Arguments.of("score --out an existing directory", (Setup) (d, out) -> List.of("score", "--model",
                TINY.toString(), "--ids", IDS.toString(), "--out", Files.createDirectories(d.resolve("res"))
                        .toString()), new String[] {"--out ", "is an existing directory"}));
        c.add(Arguments.of("memorize --out where nothing can be written", (Setup) (d, out) -> {
            org.junit.jupiter.api.Assumptions.assumeFalse(Files.isWritable(Path.of("/sys"))
                    && canCreateIn(Path.of("/sys")), "/sys is writable here");
            return List.of("memorize", "--model", TINY.toString(), "--ids", IDS.toString(), "--out",
                    "/sys/locas-bench-test/mem.safetensors");
        }, new String[] {"--out /sys/locas-bench-test/mem.safetensors: cannot be written: creating a file in /sys "
            + "fails", "choose a writable location"}));
        c.add(Arguments.of("ttt --json an existing directory", (Setup) (d, out) -> ttt("--json",
                Files.createDirectories(d.resolve("res")).toString(), "--out", out.toString()),
                new String[] {"--json ", "is an existing directory"}));
        c.add(Arguments.of("ttt --out under a regular file", (Setup) (d, out) -> ttt("--out",
                file(d, "f.txt").resolve("mem.safetensors").toString()), new String[] {"--out ", "which is a file"}));
        c.add(Arguments.of("ttt --out and --json the same file", (Setup) (d, out) -> ttt("--out", out.toString(),
                "--json", out.toString()), new String[] {"--json ", "is also given as --out"}));
        c.add(Arguments.of("ttt --checkpoint-dir a regular file", (Setup) (d, out) -> ttt("--checkpoint-dir",
                file(d, "ckpt").toString(), "--out", out.toString()),
                new String[] {"--checkpoint-dir ", "ckpt: is an existing file"}));
        c.add(Arguments.of("lora-ttt --out a non-empty directory", (Setup) (d, out) -> List.of("lora-ttt",
                "--model", TINY.toString(), "--ids", IDS.toString(), "--out", nonEmpty(d, "adapter").toString()),
                new String[] {"--out ", "adapter: exists and is not empty; choose a new --out or delete it"}));
        c.add(Arguments.of("lora-ttt --out a regular file", (Setup) (d, out) -> List.of("lora-ttt", "--model",
                TINY.toString(), "--ids", IDS.toString(), "--out", file(d, "adapter").toString()),
                new String[] {"--out ", "adapter: is an existing file, but a directory is written there"}));
        c.add(Arguments.of("to-dense --out a non-empty directory", (Setup) (d, out) -> List.of("to-dense",
                "--model", TINY.toString(), "--memory", MEMORY, "--out", nonEmpty(d, "dense").toString()),
                new String[] {"--out ", "dense: exists and is not empty"}));
        c.add(Arguments.of("lora-merge --out under a regular file", (Setup) (d, out) -> List.of("lora-merge",
                "--model", TINY.toString(), "--adapter", ADAPTER, "--out", file(d, "f").resolve("merged")
                        .toString()), new String[] {"--out ", "which is a file, not a directory"}));
        c.add(Arguments.of("run --out a regular file", (Setup) (d, out) -> List.of("run", "pg19", "--out",
                file(d, "results").toString()), new String[] {"--out ", "results: is an existing file"}));
        c.add(Arguments.of("run checkpointDir under a regular file", (Setup) (d, out) -> List.of("run", "pg19",
                "--set", "reliability.checkpointDir=" + file(d, "f").resolve("ckpt"), "--out", out.toString()),
                new String[] {"checkpointDir ", "which is a file"}));
        c.add(Arguments.of("merge --out a regular file", (Setup) (d, out) -> List.of("merge", d.toString(),
                "--out", file(d, "merged").toString()), new String[] {"--out ", "merged: is an existing file"}));
        c.add(Arguments.of("make-checkpoint --out under a regular file", (Setup) (d, out) -> List.of(
                "make-checkpoint", "--config", TINY.resolve("config.json").toString(), "--out", file(d, "f")
                        .resolve("ckpt").toString()), new String[] {"--out ", "which is a file"}));
        return c.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusedInTheFirstSecond(String name, Setup setup, String[] expected) throws Exception {
        long t0 = System.nanoTime();
        MESSAGES.put(name, BadInputTest.refused(tmp, name, setup, expected));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(seconds).as("refused before any work").isLessThan(1.0);
    }

    /** A killed export leaves .NAME.partial-N; the next export to NAME removes it (and nothing else). */
    @Test
    void theNextExportRemovesStaleStagingOfItsTarget() throws Exception {
        Path d = Files.createTempDirectory(tmp, "stale");
        Path stale = Files.createDirectories(d.resolve(".dense.partial-4242"));
        Files.writeString(stale.resolve("model.safetensors"), "half a shard");
        Path emptyStale = Files.createDirectories(d.resolve(".dense.partial-17"));
        Path other = Files.createDirectories(d.resolve(".other.partial-1"));
        Result r = run("to-dense", "--model", TINY.toString(), "--memory", MEMORY, "--out",
                d.resolve("dense").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(stale).doesNotExist();
        assertThat(emptyStale).doesNotExist();
        assertThat(other).as("another target's staging is not ours").exists();
        assertThat(d.resolve("dense/config.json")).exists();
        assertThat(r.err()).contains("note: removing " + stale.toAbsolutePath());
    }

    /** lora-ttt writes its adapter directory as one unit: into an empty directory, both files, no staging left. */
    @Test
    void loraTttWritesTheAdapterAsOneUnit() throws Exception {
        Path d = Files.createTempDirectory(tmp, "lora");
        Path adapter = Files.createDirectories(d.resolve("adapter"));
        Result r = run("lora-ttt", "--model", TINY.toString(), "--ids", IDS.toString(), "--window", "8", "--rank",
                "2", "--out", adapter.toString());
        assertThat(r.code()).as(r.err()).isZero();
        try (Stream<Path> files = Files.list(adapter)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactly("adapter_config.json",
                    "adapter_model.safetensors");
        }
        try (Stream<Path> files = Files.list(d)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("adapter");
        }
        Result again = run("lora-ttt", "--model", TINY.toString(), "--ids", IDS.toString(), "--window", "8",
                "--rank", "2", "--out", adapter.toString());
        assertThat(again.code()).isEqualTo(2);
        assertThat(again.err()).contains("exists and is not empty");
    }

    static boolean canCreateIn(Path dir) {
        try {
            Files.delete(Files.createTempFile(dir, "probe", ".tmp"));
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    record Result(int code, String err) {}

    static Result run(String... args) {
        PrintStream oldErr = System.err;
        PrintStream oldOut = System.out;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            return new Result(Main.run(args), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(oldErr);
            System.setOut(oldOut);
        }
    }
}
