package org.locasbench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locasbench.harness.cli.Main;
import org.locasbench.model.TestData;

/** The locas-bench command line end to end, in-process, on the tiny fixture model. */
class CliTest {
    static final String TINY = TestData.fixture("tiny-qwen3").toString();
    static final String IDS = TestData.fixture("tiny-qwen3/ids.json").toString();

    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {
        JsonNode json() throws Exception {
            return new ObjectMapper().readTree(out);
        }
    }

    @BeforeAll
    static void dataDir() {
        System.setProperty("locas.data.dir", TestData.dataDir().toString());
    }

    static synchronized Result run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void helpListsEveryCommandAndUnknownOptionsExitWithUsage() {
        Result help = run("--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("score", "memorize", "nll", "to-dense", "ttt", "lora-ttt", "lora-merge");
        Result unknown = run("nll", "--model", TINY, "--ids", IDS, "--bogus");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("Unknown option: '--bogus'");
    }

    /** The main job's arguments (harness/pom.xml, {@code mvn -Pmain}) are accepted by the config loader and take effect. */
    @Test
    void mainJobArgumentsAreValid() throws Exception {
        // from the project root (the bundle's test runner) as from harness/ (surefire)
        Path pom = TestData.dataDir().toAbsolutePath().getParent().resolve("harness/pom.xml");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<main.args>([^<]*)</main.args>")
                .matcher(Files.readString(pom));
        assertThat(m.find()).as("<main.args> in harness/pom.xml").isTrue();
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(m.group(1).trim().split("\\s+")));
        args.add("--print-config");
        Result r = run(args.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.json().path("pg19").path("maxTokens").asInt()).as("the main job streams 16,384 tokens")
                .isEqualTo(16384);
        assertThat(r.json().path("run").path("methods").toString()).isEqualTo("[\"none\",\"locas\",\"lora\"]");
    }

    @Test
    void freshMemoryLeavesNllUnchangedAndTtTrainedOneFusesToTheSameNll() throws Exception {
        Path memory = tmp.resolve("fresh.safetensors");
        Result memorize = run("memorize", "--model", TINY, "--ids", IDS, "--keep-top", "8", "--init", "highest",
                "--out", memory.toString());
        assertThat(memorize.code()).as(memorize.err()).isZero();
        assertThat(memorize.json().get("parameters").asInt()).isEqualTo(2 * 3 * 8 * 64);
        double base = run("nll", "--model", TINY, "--ids", IDS).json().get("mean_nll").asDouble();
        double withFresh = run("nll", "--model", TINY, "--ids", IDS, "--memory", memory.toString()).json()
                .get("mean_nll").asDouble();
        assertThat(withFresh).isEqualTo(base);

        Path trained = tmp.resolve("trained.safetensors");
        Result ttt = run("ttt", "--model", TINY, "--ids", IDS, "--window", "8", "--context", "8", "--width", "8",
                "--lr", "0.05", "--steps", "2", "--out", trained.toString());
        assertThat(ttt.code()).as(ttt.err()).isZero();
        assertThat(ttt.json().get("windows")).as("24 ids in windows of 8").hasSize(3);
        double sidecar = run("nll", "--model", TINY, "--ids", IDS, "--memory", trained.toString()).json()
                .get("mean_nll").asDouble();
        System.out.printf("tiny fixture: NLL %.5f frozen, %.5f with the memory trained on the same ids%n", base,
                sidecar);
        // observed: 6.435 frozen, 5.442 with the memory; a memory that did not learn would give the frozen NLL
        assertThat(sidecar).as("a memory trained on these ids predicts them better").isLessThan(base - 0.1);
        Path dense = tmp.resolve("dense");
        // f32: exact fusion (the default, auto, keeps the fixture's bf16 and rounds the fused rows: ~1.6e-4 off)
        assertThat(run("to-dense", "--model", TINY, "--memory", trained.toString(), "--dtype", "f32", "--out",
                dense.toString()).code()).isZero();
        double fused = run("nll", "--model", dense.toString(), "--ids", IDS).json().get("mean_nll").asDouble();
        assertThat(fused).isCloseTo(sidecar, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(Files.readString(dense.resolve("config.json"))).contains("\"intermediate_size\" : 200");
    }

    /**
     * The CI flow of the README: shards run with {@code --shard i/n} leave the history to {@code merge}, which gathers
     * their records (each shard's own) and appends them to the user's history once.
     */
    @Test
    void shardedRunsAddTheirHistoryThroughMergeOnce() throws Exception {
        String[] common = {"run", "pg19", "--set", "pg19.books=10146,10321", "--set", "run.methods=none", "--set",
            "pg19.maxTokens=384", "--set", "window.size=128", "--set", "window.context=128"};
        Path history = tmp.resolve("history/metric-history.jsonl");
        String old = System.setProperty(org.locasbench.results.MetricHistory.FILE_PROPERTY, history.toString());
        try {
            for (int i = 0; i < 2; i++) {
                String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(common), java.util.stream.Stream
                        .of("--shard", i + "/2", "--out", tmp.resolve("shard" + i).toString())).toArray(String[]::new);
                Result shard = run(args);
                assertThat(shard.code()).as(shard.err()).isZero();
                assertThat(shard.out()).contains("`merge` adds the shards' to the history");
                assertThat(Files.readAllLines(tmp.resolve("shard" + i + "/metric-history.jsonl"))).hasSize(1);
            }
            assertThat(history).doesNotExist();
            Result merged = run("merge", tmp.resolve("shard0").toString(), tmp.resolve("shard1").toString(), "--out",
                    tmp.resolve("merged").toString());
            assertThat(merged.code()).as(merged.err()).isZero();
            assertThat(merged.out()).contains("(2 of 2 records appended)");
            List<String> lines = Files.readAllLines(history);
            assertThat(lines).hasSize(2).anyMatch(l -> l.contains("\"unit\":\"10146\""))
                    .anyMatch(l -> l.contains("\"unit\":\"10321\""));
            assertThat(Files.readAllLines(tmp.resolve("merged/metric-history.jsonl"))).isEqualTo(lines);
            Result again = run("merge", tmp.resolve("shard0").toString(), tmp.resolve("shard1").toString(), "--out",
                    tmp.resolve("merged-again").toString());
            assertThat(again.out()).as("the same results are not recorded twice").contains("(0 of 2 records appended)");
            Files.writeString(history, "{not json\n");
            Result corrupt = run("merge", tmp.resolve("shard0").toString(), tmp.resolve("shard1").toString(), "--out",
                    tmp.resolve("merged-corrupt").toString());
            assertThat(corrupt.code()).isEqualTo(2);
            assertThat(corrupt.err()).startsWith("error: ").contains(history.toString()).contains("was not changed");
            assertThat(Files.readString(history)).isEqualTo("{not json\n");
        } finally {
            if (old == null) {
                System.clearProperty(org.locasbench.results.MetricHistory.FILE_PROPERTY);
            } else {
                System.setProperty(org.locasbench.results.MetricHistory.FILE_PROPERTY, old);
            }
        }
    }

    @Test
    void loraTttAndMergeMirrorTheLocasCommands() throws Exception {
        Path adapter = tmp.resolve("adapter");
        Result ttt = run("lora-ttt", "--model", TINY, "--ids", IDS, "--window", "8", "--context", "8", "--rank", "4",
                "--dropout", "0", "--lr", "0.05", "--steps", "2", "--out", adapter.toString());
        assertThat(ttt.code()).as(ttt.err()).isZero();
        assertThat(adapter.resolve("adapter_config.json")).exists();
        Path merged = tmp.resolve("merged");
        Result merge = run("lora-merge", "--model", TINY, "--adapter", adapter.toString(), "--out", merged.toString());
        assertThat(merge.code()).as(merge.err()).isZero();
        assertThat(Files.readString(merged.resolve("config.json"))).contains("\"intermediate_size\" : 192");
        // without --lr, lora-ttt trains with lora.lr of common.yaml (not locas.lr, which ttt's --lr stands for)
        Result defaults = run("lora-ttt", "--model", TINY, "--ids", IDS, "--window", "8", "--rank", "2");
        var yaml = org.locasbench.harness.config.ConfigLoader.commonDefaults().common();
        assertThat(yaml.lora().lr()).isNotEqualTo(yaml.locas().lr());
        assertThat(defaults.json().get("lr").asDouble()).as("lora.lr of common.yaml").isEqualTo(yaml.lora().lr());
    }

    @Test
    void badInputGetsOneClearErrorAndNoOutputFile() {
        Path out = tmp.resolve("never.safetensors");
        Result missing = run("memorize", "--model", tmp.resolve("nope").toString(), "--ids", IDS, "--out",
                out.toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).startsWith("error: ").contains("nope");
        Result negative = run("ttt", "--model", TINY, "--ids", IDS, "--lr", "-1");
        assertThat(negative.code()).isEqualTo(2);
        assertThat(negative.err()).startsWith("error: invalid config value 'locas.lr': must be a positive "
                + "learning rate").contains("(set by --lr)");
        Result zeroWindow = run("ttt", "--model", TINY, "--ids", IDS, "--window", "0");
        assertThat(zeroWindow.code()).isEqualTo(2);
        assertThat(zeroWindow.err()).startsWith("error: invalid config value 'window.size'").contains("got 0")
                .contains("(set by --window)");
        Result tooWide = run("memorize", "--model", TINY, "--ids", IDS, "--width", "999", "--out", out.toString());
        assertThat(tooWide.code()).isEqualTo(2);
        assertThat(tooWide.err()).contains("memory width must be in 1..192");
        assertThat(out).doesNotExist();
        assertThat(tmp).isEmptyDirectory();
    }
}
