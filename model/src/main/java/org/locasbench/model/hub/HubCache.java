package org.locasbench.model.hub;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The Hugging Face hub cache layout, as {@code huggingface_hub} writes it:
 * <pre>
 *   $HF_HUB_CACHE/models--ORG--NAME/blobs/&lt;sha256 or git blob id&gt;
 *                                  /snapshots/&lt;commit&gt;/&lt;file&gt; -> ../../blobs/&lt;id&gt;
 *                                  /refs/&lt;revision&gt;          (contains the commit)
 * </pre>
 */
public record HubCache(Path root) {

    /** {@code $HF_HUB_CACHE}, else {@code $HF_HOME/hub}, else {@code ~/.cache/huggingface/hub}. */
    public static HubCache fromEnvironment(Map<String, String> env) {
        if (env.get("HF_HUB_CACHE") != null) {
            return new HubCache(Path.of(env.get("HF_HUB_CACHE")));
        }
        if (env.get("HF_HOME") != null) {
            return new HubCache(Path.of(env.get("HF_HOME"), "hub"));
        }
        return new HubCache(Path.of(System.getProperty("user.home"), ".cache", "huggingface", "hub"));
    }

    public Path repoDir(String repoId) {
        return root.resolve("models--" + repoId.replace("/", "--"));
    }

    /** The snapshot folder a revision (branch, tag or commit) points to, if it is cached. */
    public Optional<Path> snapshot(String repoId, String revision) {
        Path repo = repoDir(repoId);
        Path ref = repo.resolve("refs").resolve(revision);
        String commit = revision;
        if (Files.isRegularFile(ref)) {
            try {
                commit = Files.readString(ref).trim();
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        Path snap = repo.resolve("snapshots").resolve(commit);
        return Files.isDirectory(snap) ? Optional.of(snap) : Optional.empty();
    }
}
