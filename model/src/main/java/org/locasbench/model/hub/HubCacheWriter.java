package org.locasbench.model.hub;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * Moves the files of a plain model folder into a hub cache entry exactly as {@code huggingface_hub} lays one out:
 * contents under {@code blobs/} named by their hub id (sha256 for LFS files, git blob id for small ones),
 * {@code snapshots/COMMIT/FILE} relative symlinks to them, and {@code refs/REVISION} holding the commit.
 */
public final class HubCacheWriter {
    /** Files the hub stores with LFS: weights, and anything of 10 MiB or more (the hub's limit for plain git files). */
    private static final long LFS_THRESHOLD = 10L << 20;

    private HubCacheWriter() {}

    /** Returns the snapshot folder. {@code folder} is emptied (its files become blobs) and removed. */
    public static Path install(Path folder, HubCache cache, String repoId, String revision, String commit)
            throws IOException {
        if (!commit.matches("[0-9a-f]{40}")) {
            throw new IllegalArgumentException("commit must be 40 lowercase hex digits, got '" + commit + "'");
        }
        Path repo = cache.repoDir(repoId);
        Path blobs = Files.createDirectories(repo.resolve("blobs"));
        Path snapshot = Files.createDirectories(repo.resolve("snapshots").resolve(commit));
        List<Path> files;
        try (Stream<Path> s = Files.list(folder)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path f : files) {
            String name = f.getFileName().toString();
            boolean lfs = name.endsWith(".safetensors") || Files.size(f) >= LFS_THRESHOLD;
            Path blob = blobs.resolve(lfs ? BlobIds.sha256(f) : BlobIds.gitBlobId(f));
            Files.move(f, blob, StandardCopyOption.REPLACE_EXISTING);
            Path link = snapshot.resolve(name);
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, snapshot.relativize(blob));
        }
        Files.createDirectories(repo.resolve("refs"));
        Files.writeString(repo.resolve("refs").resolve(revision), commit, StandardCharsets.UTF_8);
        Files.deleteIfExists(folder);
        return snapshot;
    }
}
