package org.locasbench.reports;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Generates the Allure 2 HTML report with the Allure commandline (unpacked from Maven Central, so the build needs no
 * other network). History is carried between runs through a folder the CI job keeps: copied into the results before
 * generation, and the new report's {@code history/} copied back after, so trends show across commits.
 */
public final class AllureRunner {
    private final Path allureHome;

    public AllureRunner(Path allureHome) {
        this.allureHome = allureHome;
    }

    /**
     * Generates {@code out/allure} (multi-file, serve over HTTP) and {@code out/allure-single} (opens from file://),
     * with the failure categories and the regression gate's rows as tests ({@link AllureExtras}).
     */
    public void generate(Path results, Path historyDir, Path out, String commit, List<BaselineGate.Row> gate)
            throws IOException, InterruptedException {
        Path staging = out.resolve("allure-input");
        deleteTree(staging);
        copyTree(results, staging);
        AllureExtras.writeCategories(staging);
        AllureExtras.writeGateResults(staging, gate, System.currentTimeMillis());
        if (Files.isDirectory(historyDir)) {
            copyTree(historyDir, staging.resolve("history"));
        }
        Files.writeString(staging.resolve("environment.properties"), "commit=" + commit + "\njava="
                + System.getProperty("java.version") + "\nos=" + System.getProperty("os.name") + " "
                + System.getProperty("os.arch") + "\n", StandardCharsets.UTF_8);
        Files.writeString(staging.resolve("executor.json"), "{\"name\":\"locas-bench mvn verify\",\"type\":\"maven\","
                + "\"buildName\":\"" + commit.substring(0, Math.min(12, commit.length())) + "\"}",
                StandardCharsets.UTF_8);
        run("generate", staging.toString(), "-o", out.resolve("allure").toString(), "--clean");
        run("generate", staging.toString(), "-o", out.resolve("allure-single").toString(), "--clean", "--single-file");
        Path newHistory = out.resolve("allure/history");
        if (Files.isDirectory(newHistory)) {
            deleteTree(historyDir);
            copyTree(newHistory, historyDir);
        }
    }

    private void run(String... args) throws IOException, InterruptedException {
        Path script = allureHome.resolve("bin/allure");
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException("Allure commandline not found at " + script + "; it is unpacked by the "
                    + "reports module during `mvn package`");
        }
        List<String> cmd = new ArrayList<>(List.of("sh", script.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("allure " + String.join(" ", args) + " failed (exit " + p.exitValue() + ")");
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
