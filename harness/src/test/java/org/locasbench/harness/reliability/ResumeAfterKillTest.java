package org.locasbench.harness.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locasbench.harness.cli.Main;
import org.locasbench.model.TestData;

/**
 * A real child JVM runs a long Locas TTT over a PG-19 book with checkpoints, is killed with SIGKILL mid-book, and is
 * resumed; the final per-window metrics equal an uninterrupted run's exactly (same seed, CPU).
 */
class ResumeAfterKillTest {
    @TempDir
    Path tmp;

    static List<String> tttArgs(Path checkpoints, Path json) {
        List<String> a = new ArrayList<>(List.of("ttt", "--model", TestData.bundledModel().toString(), "--book", "10146",
                "--max-tokens", "4096", "--window", "128", "--context", "128", "--width", "32", "--lr", "0.01",
                "--json", json.toString()));
        if (checkpoints != null) {
            a.addAll(List.of("--checkpoint-dir", checkpoints.toString(), "--checkpoint-every", "2"));
        }
        return a;
    }

    @Test
    void killedMidBookAndResumedGivesExactlyTheUninterruptedMetrics() throws Exception {
        Path checkpoints = tmp.resolve("ckpt");
        Path killedJson = tmp.resolve("killed.json");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-Dlocas.data.dir=" + TestData.dataDir(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(tttArgs(checkpoints, killedJson));
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("child.log")
                .toFile()).start();
        Path progress = checkpoints.resolve("progress.json");
        int done = 0;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (done < 8 && System.nanoTime() < deadline && child.isAlive()) {
            Thread.sleep(100);
            if (Files.exists(progress)) {
                try {
                    done = new ObjectMapper().readTree(progress.toFile()).get("windows_done").asInt();
                } catch (Exception torn) {
                    // written atomically, so this does not happen; retry on the next poll anyway
                }
            }
        }
        assertThat(child.isAlive()).as("child still running mid-book (log: %s)", Files.readString(tmp.resolve(
                "child.log"))).isTrue();
        child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no cleanup
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).isEqualTo(137);
        assertThat(killedJson).as("no result file from the killed run").doesNotExist();
        int atKill = new ObjectMapper().readTree(progress.toFile()).get("windows_done").asInt();
        assertThat(atKill).isBetween(8, 31);

        List<String> resume = new ArrayList<>(tttArgs(checkpoints, tmp.resolve("resumed.json")));
        resume.add("--resume");
        assertThat(run(resume)).isZero();
        assertThat(run(tttArgs(null, tmp.resolve("straight.json")))).isZero();

        JsonNode resumed = new ObjectMapper().readTree(tmp.resolve("resumed.json").toFile());
        JsonNode straight = new ObjectMapper().readTree(tmp.resolve("straight.json").toFile());
        assertThat(resumed.get("windows")).hasSize(32);
        assertThat(resumed.get("windows")).isEqualTo(straight.get("windows")); // every window's NLL and loss, bit for bit
        assertThat(resumed.get("mean_nll").asDouble()).isEqualTo(straight.get("mean_nll").asDouble());
        System.out.printf("killed after %d of 32 windows; resumed mean NLL %.6f == uninterrupted %.6f%n", atKill,
                resumed.get("mean_nll").asDouble(), straight.get("mean_nll").asDouble());

        List<String> other = new ArrayList<>(tttArgs(checkpoints, tmp.resolve("other.json")));
        other.set(other.indexOf("--width") + 1, "16");
        other.add("--resume");
        assertThat(run(other)).as("a checkpoint of another run is refused").isEqualTo(2);
    }

    static int run(List<String> args) {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int code;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            code = Main.run(args.toArray(String[]::new));
        } finally {
            System.setErr(err);
        }
        if (code != 0) {
            err.println("exit " + code + ": " + captured.toString(StandardCharsets.UTF_8).lines()
                    .filter(l -> l.startsWith("error")).findFirst().orElse("(no error line)"));
        }
        return code;
    }
}
