package org.locasbench.harness.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.locasbench.harness.cli.Main;
import org.locasbench.model.TestData;

/**
 * A real child JVM with a 1 MiB direct-memory limit loads the bundled model (whose bf16 weights are widened into
 * direct buffers): the CLI prints one {@code error:} line naming direct memory, the sizes and -XX:MaxDirectMemorySize,
 * no stack trace, and exits 2.
 */
class OutOfDirectMemoryTest {
    @Test
    void tinyDirectMemoryLimitGivesOneClearErrorAndStatusTwo() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:MaxDirectMemorySize=1m", "-Dai.djl.offline=true", "-Dlocas.data.dir=" + TestData.dataDir(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "nll", "--model",
                TestData.bundledModel().toString(), "--book", "10146", "--max-tokens", "64")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        List<String> errors = err.lines().filter(l -> l.startsWith("error:")).toList();
        System.out.println("child stderr:\n" + err);
        assertThat(p.exitValue()).as(err).isEqualTo(2);
        assertThat(errors).as(err).hasSize(1);
        assertThat(errors.get(0)).contains("out of Java direct memory (tried to reserve ", "1.00 MiB limit",
                "MaxDirectMemorySize", "LOCAS_JAVA_OPTS").doesNotContain("Cannot reserve");
        assertThat(err.lines()).as("no stack trace").noneMatch(l -> l.stripLeading().startsWith("at ")
                || l.contains("Exception") || l.contains("OutOfMemoryError"));
    }
}
