package org.locasbench.model.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/**
 * Downloads a model repository's files from a Hugging Face hub endpoint into the hub cache layout, over plain HTTPS.
 *
 * <p>The revision's file list and checksums come from {@code GET /api/models/ORG/NAME/revision/REV?blobs=true}; each
 * file from {@code GET /ORG/NAME/resolve/COMMIT/FILE}. Partial downloads are kept as {@code blobs/ID.incomplete} and
 * resumed with an HTTP Range request. LFS files are checked against their sha256, small files against their git blob
 * id; a mismatch deletes the blob and fails, so the cache never holds a corrupt file.
 */
public final class HubDownloader {
    /** What a model directory needs; index-listed shards are added from the file list. */
    private static final List<String> WANTED = List.of("config.json", "generation_config.json", "tokenizer.json",
            "tokenizer_config.json", "model.safetensors", "model.safetensors.index.json");

    private final URI endpoint;
    private final HubCache cache;
    private final String token;
    private final HttpClient http;
    private final Consumer<String> progress;

    public HubDownloader(URI endpoint, HubCache cache, String token, Consumer<String> progress) {
        this.endpoint = endpoint;
        this.cache = cache;
        this.token = token;
        this.progress = progress;
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(20)).build();
    }

    /** Endpoint from {@code HF_ENDPOINT} (default https://huggingface.co), token from {@code HF_TOKEN}. */
    public static HubDownloader fromEnvironment(java.util.Map<String, String> env, Consumer<String> progress) {
        String endpoint = env.getOrDefault("HF_ENDPOINT", "https://huggingface.co");
        return new HubDownloader(URI.create(endpoint.endsWith("/") ? endpoint : endpoint + "/"),
                HubCache.fromEnvironment(env), env.get("HF_TOKEN"), progress);
    }

    public URI endpoint() {
        return endpoint;
    }

    public HubCache cache() {
        return cache;
    }

    /** Downloads (or completes) the snapshot of {@code repoId} at {@code revision} and returns its folder. */
    public Path download(String repoId, String revision) throws IOException, InterruptedException {
        JsonNode info = getJson(endpoint.resolve("api/models/" + repoId + "/revision/" + revision + "?blobs=true"));
        String commit = info.path("sha").asText(null);
        if (commit == null || !info.path("siblings").isArray()) {
            throw new IOException(repoId + "@" + revision + ": the hub answered without 'sha' and 'siblings'; is "
                    + endpoint + " a Hugging Face hub endpoint?");
        }
        List<JsonNode> files = new ArrayList<>();
        for (JsonNode s : info.get("siblings")) {
            String name = s.path("rfilename").asText();
            if (WANTED.contains(name) || name.matches("model-\\d+-of-\\d+\\.safetensors")) {
                files.add(s);
            }
        }
        if (files.stream().noneMatch(f -> f.path("rfilename").asText().startsWith("model"))) {
            throw new IOException(repoId + "@" + revision + " has no model.safetensors (or shards); only safetensors "
                    + "checkpoints are supported");
        }
        Path repo = cache.repoDir(repoId);
        Path snapshot = repo.resolve("snapshots").resolve(commit);
        Files.createDirectories(snapshot);
        Files.createDirectories(repo.resolve("blobs"));
        for (JsonNode f : files) {
            fetch(repoId, commit, f, repo, snapshot);
        }
        Path ref = repo.resolve("refs").resolve(revision);
        if (!revision.equals(commit)) {
            Files.createDirectories(ref.getParent());
            Files.writeString(ref, commit);
        }
        return snapshot;
    }

    private void fetch(String repoId, String commit, JsonNode file, Path repo, Path snapshot)
            throws IOException, InterruptedException {
        String name = file.get("rfilename").asText();
        JsonNode lfs = file.get("lfs");
        String sha256 = lfs != null ? lfs.path("sha256").asText(null) : null;
        String blobId = sha256 != null ? sha256 : file.path("blobId").asText(null);
        if (blobId == null) {
            throw new IOException(repoId + ": the hub listed " + name + " without a blob id or sha256");
        }
        Path blob = repo.resolve("blobs").resolve(blobId);
        Path link = snapshot.resolve(name);
        if (!Files.exists(blob)) {
            Path partial = repo.resolve("blobs").resolve(blobId + ".incomplete");
            long have = Files.exists(partial) ? Files.size(partial) : 0;
            HttpRequest.Builder req = request(endpoint.resolve(repoId + "/resolve/" + commit + "/" + name));
            if (have > 0) {
                req.header("Range", "bytes=" + have + "-");
            }
            HttpResponse<InputStream> resp = http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
            boolean resumed = resp.statusCode() == 206;
            if (resp.statusCode() != 200 && !resumed) {
                resp.body().close();
                throw new IOException("GET " + resp.uri() + " answered HTTP " + resp.statusCode()
                        + (resp.statusCode() == 401 ? "; set HF_TOKEN for gated or private models" : ""));
            }
            progress.accept((resumed ? "resuming " : "downloading ") + repoId + "/" + name
                    + (resumed ? " from byte " + have : ""));
            try (InputStream in = resp.body(); OutputStream out = Files.newOutputStream(partial,
                    StandardOpenOption.CREATE, resumed ? StandardOpenOption.APPEND
                            : StandardOpenOption.TRUNCATE_EXISTING)) {
                in.transferTo(out);
            }
            verify(partial, name, sha256, sha256 != null ? null : blobId);
            Files.move(partial, blob, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.deleteIfExists(link);
        Files.createDirectories(link.getParent());
        try {
            Files.createSymbolicLink(link, link.getParent().relativize(blob));
        } catch (UnsupportedOperationException | IOException e) {
            Files.copy(blob, link, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void verify(Path file, String name, String sha256, String gitBlobId) throws IOException {
        String actual;
        String expected;
        if (sha256 != null) {
            actual = BlobIds.sha256(file);
            expected = sha256;
        } else {
            actual = BlobIds.gitBlobId(file);
            expected = gitBlobId;
        }
        if (!actual.equalsIgnoreCase(expected)) {
            Files.delete(file);
            throw new IOException(name + ": checksum mismatch (expected " + expected + ", got " + actual
                    + "); the partial download was deleted: run again to download it afresh");
        }
    }

    private JsonNode getJson(URI uri) throws IOException, InterruptedException {
        HttpResponse<String> resp = http.send(request(uri).build(), HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() != 200) {
            throw new IOException("GET " + uri + " answered HTTP " + resp.statusCode()
                    + (resp.statusCode() == 404 ? "; check the repository id and revision" : ""));
        }
        try {
            return new ObjectMapper().readTree(resp.body());
        } catch (IOException e) {
            throw new IOException("GET " + uri + " returned invalid JSON (" + org.locasbench.model.JsonFields
                    .describe(e) + "); is HF_ENDPOINT a Hugging Face hub?", e);
        }
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(30))
                .header("User-Agent", "locas-bench/0.1");
        if (token != null && !token.isBlank()) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }
}
