package org.locasbench.model.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locasbench.model.ModelFormatException;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.TestData;

/** The hub download path against a fake hub served on 127.0.0.1 with the real endpoints' shapes. */
class HubDownloaderTest {
    static final String REPO = "test-org/tiny-qwen3";
    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    @TempDir
    Path tmp;
    HttpServer server;
    final Map<String, byte[]> files = new ConcurrentHashMap<>();
    final Map<String, byte[]> served = new ConcurrentHashMap<>();
    final List<String> ranges = new ArrayList<>();

    @BeforeEach
    void startHub() throws IOException {
        Path model = TestData.fixture("tiny-qwen3");
        files.put("config.json", Files.readAllBytes(model.resolve("config.json")));
        files.put("model.safetensors", Files.readAllBytes(model.resolve("model.safetensors")));
        served.putAll(files);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/models/" + REPO + "/revision/main", this::info);
        server.createContext("/" + REPO + "/resolve/" + COMMIT + "/", this::resolve);
        server.start();
    }

    @AfterEach
    void stopHub() {
        server.stop(0);
    }

    private HubDownloader downloader() {
        URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
        return new HubDownloader(endpoint, new HubCache(tmp.resolve("hub")), null, msg -> { });
    }

    @Test
    void downloadsIntoTheHubCacheLayoutAndTheModelLoads() throws Exception {
        Path snapshot = downloader().download(REPO, "main");
        Path repo = tmp.resolve("hub/models--test-org--tiny-qwen3");
        assertThat(snapshot).isEqualTo(repo.resolve("snapshots/" + COMMIT));
        assertThat(Files.readString(repo.resolve("refs/main"))).isEqualTo(COMMIT);
        assertThat(Files.isSymbolicLink(snapshot.resolve("model.safetensors"))).isTrue();
        assertThat(repo.resolve("blobs/" + sha256(files.get("model.safetensors")))).exists();
        assertThat(Files.readAllBytes(snapshot.resolve("config.json"))).isEqualTo(files.get("config.json"));
        try (Qwen3Model m = Qwen3Model.load(snapshot)) {
            assertThat(m.config().hiddenSize()).isEqualTo(64);
        }
        // the locator finds it again without the network, by hub id and by cache folder
        ModelLocator offline = new ModelLocator(downloader(), true);
        server.stop(0);
        assertThat(offline.resolve(REPO)).isEqualTo(snapshot);
        assertThat(offline.resolve(repo.toString())).isEqualTo(snapshot);
    }

    @Test
    void resumesAPartialDownloadWithARangeRequest() throws Exception {
        byte[] weights = files.get("model.safetensors");
        Path blobs = tmp.resolve("hub/models--test-org--tiny-qwen3/blobs");
        Files.createDirectories(blobs);
        Files.write(blobs.resolve(sha256(weights) + ".incomplete"), java.util.Arrays.copyOf(weights, 100_000));
        Path snapshot = downloader().download(REPO, "main");
        assertThat(ranges).contains("bytes=100000-");
        assertThat(Files.readAllBytes(snapshot.resolve("model.safetensors"))).isEqualTo(weights);
    }

    @Test
    void checksumMismatchFailsAndLeavesNothingThatLooksComplete() {
        byte[] corrupt = files.get("model.safetensors").clone();
        corrupt[corrupt.length - 1] ^= 1;
        served.put("model.safetensors", corrupt);
        assertThatThrownBy(() -> downloader().download(REPO, "main")).isInstanceOf(IOException.class)
                .hasMessageContaining("model.safetensors: checksum mismatch");
        Path blobs = tmp.resolve("hub/models--test-org--tiny-qwen3/blobs");
        assertThat(blobs.resolve(sha256(files.get("model.safetensors")))).doesNotExist();
        assertThat(blobs.resolve(sha256(files.get("model.safetensors")) + ".incomplete")).doesNotExist();
    }

    /** A refused connection has no message of its own: the error names the endpoint and the cause's class. */
    @Test
    void unreachableEndpointNamesTheEndpointAndTheCause() throws Exception {
        java.net.URI closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = java.net.URI.create("http://127.0.0.1:" + s.getLocalPort() + "/"); // closed again below
        }
        ModelLocator locator = new ModelLocator(new HubDownloader(closed, new HubCache(tmp.resolve("hub2")), null,
                msg -> { }), false);
        assertThatThrownBy(() -> locator.resolve("Qwen/Qwen3-0.6B")).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("download of Qwen/Qwen3-0.6B@main from " + closed + " failed (java.net."
                        + "ConnectException").hasMessageContaining("HF_ENDPOINT").hasMessageNotContaining("null");
    }

    @Test
    void offlineWithoutCacheSaysWhatToDo() {
        ModelLocator offline = new ModelLocator(downloader(), true);
        assertThatThrownBy(() -> offline.resolve("test-org/not-cached")).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("not in the hub cache").hasMessageContaining("HF_HUB_OFFLINE");
        assertThatThrownBy(() -> offline.resolve("no such thing")).hasMessageContaining("ORG/NAME");
    }

    private void info(HttpExchange ex) throws IOException {
        StringBuilder siblings = new StringBuilder();
        for (var e : files.entrySet()) {
            siblings.append(siblings.length() == 0 ? "" : ",").append("{\"rfilename\":\"").append(e.getKey())
                    .append("\",\"blobId\":\"").append(gitBlob(e.getValue())).append('"');
            if (e.getKey().endsWith(".safetensors")) {
                siblings.append(",\"lfs\":{\"sha256\":\"").append(sha256(e.getValue())).append("\",\"size\":")
                        .append(e.getValue().length).append('}');
            }
            siblings.append('}');
        }
        send(ex, 200, ("{\"id\":\"" + REPO + "\",\"sha\":\"" + COMMIT + "\",\"siblings\":[" + siblings + "]}")
                .getBytes(StandardCharsets.UTF_8));
    }

    private void resolve(HttpExchange ex) throws IOException {
        String name = ex.getRequestURI().getPath().substring(("/" + REPO + "/resolve/" + COMMIT + "/").length());
        byte[] body = served.get(name);
        if (body == null) {
            send(ex, 404, new byte[0]);
            return;
        }
        String range = ex.getRequestHeaders().getFirst("Range");
        if (range != null) {
            synchronized (ranges) {
                ranges.add(range);
            }
            int from = Integer.parseInt(range.substring("bytes=".length(), range.length() - 1));
            ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
            send(ex, 206, java.util.Arrays.copyOfRange(body, from, body.length));
        } else {
            send(ex, 200, body);
        }
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    static String sha256(byte[] b) {
        return digest("SHA-256", new byte[0], b);
    }

    static String gitBlob(byte[] b) {
        return digest("SHA-1", ("blob " + b.length + "\0").getBytes(StandardCharsets.UTF_8), b);
    }

    static String digest(String algorithm, byte[] prefix, byte[] b) {
        try {
            MessageDigest md = MessageDigest.getInstance(algorithm);
            md.update(prefix);
            return HexFormat.of().formatHex(md.digest(b));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
