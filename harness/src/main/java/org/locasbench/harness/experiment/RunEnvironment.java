package org.locasbench.harness.experiment;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** What a result must record to be rerun and compared: git commit, hardware, library versions. */
public final class RunEnvironment {
    private RunEnvironment() {}

    /** {@code GIT_COMMIT} / {@code GITHUB_SHA} if set, else {@code git rev-parse HEAD}, else "unknown". */
    public static String gitCommit() {
        for (String var : new String[] {"GIT_COMMIT", "GITHUB_SHA", "CI_COMMIT_SHA"}) {
            String v = System.getenv(var);
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    public static ObjectNode describe(String device) {
        ObjectNode env = JsonNodeFactory.instance.objectNode();
        env.put("git_commit", gitCommit());
        ObjectNode hw = env.putObject("hardware");
        hw.put("device", device).put("cpus", Runtime.getRuntime().availableProcessors())
                .put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"))
                .put("arch", System.getProperty("os.arch"))
                .put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
        ObjectNode libs = env.putObject("libraries");
        libs.put("java", System.getProperty("java.version"))
                .put("djl", ai.djl.engine.Engine.getDjlVersion())
                .put("engine", ai.djl.engine.Engine.getInstance().getEngineName() + " "
                        + ai.djl.engine.Engine.getInstance().getVersion())
                .put("jackson", com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString());
        return env;
    }
}
