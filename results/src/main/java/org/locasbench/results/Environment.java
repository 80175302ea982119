package org.locasbench.results;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Where and when a result was produced, so it can be rerun and compared.
 *
 * @param gitCommit the commit of the code ({@link #detectGitCommit()}), or "unknown"
 * @param timestamp when the result was recorded, ISO-8601 UTC ({@link Instant#toString()})
 * @param hardware the device and host
 * @param libraries library versions by name: java, djl, engine, jackson (as the harness reports them)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"git_commit", "timestamp", "hardware", "libraries"})
public record Environment(String gitCommit, String timestamp, Hardware hardware, Map<String, String> libraries) {

    /**
     * @param device the device(s) the run used, e.g. {@code cpu}, {@code gpu:0}, {@code [cpu:0, cpu:1]}
     * @param cpus available processors
     * @param os name and version
     * @param arch os.arch
     * @param maxHeapMb the JVM's max heap in MiB
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"device", "cpus", "os", "arch", "max_heap_mb"})
    public record Hardware(String device, int cpus, String os, String arch, long maxHeapMb) {
        public Hardware {
            Checks.requiredText(device, "environment.hardware.device");
            Checks.required(os, "environment.hardware.os");
            Checks.required(arch, "environment.hardware.arch");
        }

        /** This JVM's host, running on {@code device}. */
        public static Hardware of(String device) {
            return new Hardware(device, Runtime.getRuntime().availableProcessors(), System.getProperty("os.name")
                    + " " + System.getProperty("os.version"), System.getProperty("os.arch"),
                    Runtime.getRuntime().maxMemory() >> 20);
        }
    }

    public Environment {
        Checks.requiredText(gitCommit, "environment.git_commit");
        Checks.requiredText(timestamp, "environment.timestamp");
        try {
            Instant.parse(timestamp);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("field 'environment.timestamp' is '" + timestamp
                    + "'; expected ISO-8601 UTC such as 2026-01-31T12:00:00Z");
        }
        Checks.required(hardware, "environment.hardware");
        Map<String, String> libs = new LinkedHashMap<>();
        Checks.required(libraries, "environment.libraries").forEach((k, v) -> libs.put(k,
                Checks.required(v, "environment.libraries." + k)));
        libraries = Collections.unmodifiableMap(libs);
    }

    /**
     * This process now: {@link #detectGitCommit()}, the current time, this host running on {@code device}, and the
     * libraries {@code java} (this JVM), then {@code libraries} in their order (the harness adds djl and engine),
     * then {@code jackson} unless given.
     */
    public static Environment capture(String device, Map<String, String> libraries) {
        Map<String, String> libs = new LinkedHashMap<>();
        libs.put("java", System.getProperty("java.version"));
        libs.putAll(libraries);
        libs.putIfAbsent("jackson", com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString());
        return new Environment(detectGitCommit(), Instant.now().toString(), Hardware.of(device), libs);
    }

    /** {@code GIT_COMMIT} / {@code GITHUB_SHA} / {@code CI_COMMIT_SHA} if set, else {@code git rev-parse HEAD}, else "unknown". */
    public static String detectGitCommit() {
        for (String var : new String[] {"GIT_COMMIT", "GITHUB_SHA", "CI_COMMIT_SHA"}) {
            String v = System.getenv(var);
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && !out.isEmpty() ? out : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
