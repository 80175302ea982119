package org.locasbench.model.hub;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.locasbench.model.ModelFormatException;

/**
 * Turns what a user types after {@code --model} into a local model directory:
 * <ol>
 *   <li>a directory with {@code config.json} (a plain Hugging Face model folder);</li>
 *   <li>a hub-cache repository folder ({@code models--ORG--NAME}, uses {@code refs/main}) or a snapshot folder;</li>
 *   <li>a hub id {@code ORG/NAME[@REVISION]}: the cached snapshot if present, else a download (unless offline).</li>
 * </ol>
 */
public final class ModelLocator {
    private final HubDownloader downloader;
    private final boolean offline;

    public ModelLocator(HubDownloader downloader, boolean offline) {
        this.downloader = downloader;
        this.offline = offline;
    }

    /** Offline when {@code HF_HUB_OFFLINE=1} or {@code -Dlocas.offline=true} (DJL's own offline flag is about natives). */
    public static ModelLocator fromEnvironment(java.util.function.Consumer<String> progress) {
        var env = System.getenv();
        boolean offline = "1".equals(env.get("HF_HUB_OFFLINE")) || Boolean.getBoolean("locas.offline");
        return new ModelLocator(HubDownloader.fromEnvironment(env, progress), offline);
    }

    public Path resolve(String spec) {
        Path asPath = Path.of(spec);
        if (Files.isDirectory(asPath)) {
            if (Files.isRegularFile(asPath.resolve("config.json"))) {
                return asPath;
            }
            if (Files.isDirectory(asPath.resolve("snapshots"))) {
                Path snapshot = new HubCache(asPath.getParent()).snapshot(hubIdOf(asPath), "main").orElseThrow(() ->
                        new ModelFormatException(asPath, "hub cache folder without a snapshot for refs/main"));
                return snapshot;
            }
            throw new ModelFormatException(asPath, "no config.json here, so not a model directory (and no snapshots/, "
                    + "so not a hub cache folder either); point --model at the folder with config.json and the weights");
        }
        if (!spec.matches("[\\w.-]+/[\\w.-]+(@[\\w./-]+)?")) {
            throw new ModelFormatException(asPath, "no such directory, and not a hub id of the form ORG/NAME[@REVISION]");
        }
        String repo = spec.contains("@") ? spec.substring(0, spec.indexOf('@')) : spec;
        String revision = spec.contains("@") ? spec.substring(spec.indexOf('@') + 1) : "main";
        Optional<Path> cached = downloader.cache().snapshot(repo, revision)
                .filter(s -> Files.exists(s.resolve("config.json")));
        if (cached.isPresent()) {
            return cached.get();
        }
        if (offline) {
            throw new ModelFormatException(downloader.cache().repoDir(repo), repo + "@" + revision + " is not in the "
                    + "hub cache and downloads are off (HF_HUB_OFFLINE=1); download it on a machine with network or "
                    + "pass a local directory");
        }
        try {
            return downloader.download(repo, revision);
        } catch (IOException e) {
            throw new ModelFormatException(downloader.cache().repoDir(repo), "download of " + repo + "@" + revision
                    + " from " + downloader.endpoint() + " failed (" + cause(e) + "); check the network and "
                    + "HF_ENDPOINT, or pass a local model directory (HF_HUB_OFFLINE=1 forbids downloads)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while downloading " + repo, e);
        }
    }

    /**
     * What failed, even when the exception has no message (the JDK's HTTP client throws a bare ConnectException for
     * "connection refused"): its class and the first message found along the cause chain.
     */
    static String cause(Throwable e) {
        String message = null;
        for (Throwable x = e; x != null && message == null; x = x.getCause()) {
            if (x.getMessage() != null && !x.getMessage().isBlank()) {
                message = x.getMessage();
            }
        }
        String name = e.getClass().getName();
        if (message == null && e instanceof java.net.ConnectException) {
            message = "connection refused"; // the JDK's HTTP client gives a bare ConnectException for it
        }
        return name + (message != null ? ": " + message : "");
    }

    private static String hubIdOf(Path repoFolder) {
        String name = repoFolder.getFileName().toString();
        return name.startsWith("models--") ? name.substring("models--".length()).replace("--", "/") : name;
    }
}
