package org.locasbench.harness.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import org.locasbench.model.config.Qwen3Config;
import org.locasbench.model.hub.HubCache;
import org.locasbench.model.hub.HubCacheWriter;
import org.locasbench.model.safetensors.RandomCheckpoint;
import org.locasbench.model.safetensors.ShardedWriter;
import org.locasbench.model.safetensors.StoredType;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "make-checkpoint", mixinStandardHelpOptions = true,
        description = "Write a Qwen3 checkpoint with random weights in a released model's layout (shards + index, "
                + "bf16, tied lm_head stored in its own shard), as a plain folder or a hub-cache entry (blobs + "
                + "symlinks), for testing real shapes and layouts without the real weights.")
public final class MakeCheckpointCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", required = true,
            description = "A Qwen3 config.json (e.g. data/fixtures/configs/Qwen3-1.7B-Base.config.json).")
    Path configFile;

    @Option(names = "--layers", paramLabel = "N", description = "Keep only N decoder layers (default: the config's).")
    Integer layers;

    @Option(names = "--dtype", defaultValue = "bf16", description = "bf16 (default, as released), f16 or f32.")
    String dtype;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the random weights; default ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--std", defaultValue = "0.02", description = "Standard deviation of the matrices (transformers' "
            + "initializer_range); default ${DEFAULT-VALUE}.")
    double std;

    @Option(names = "--no-tied-head", negatable = false, description = "With tied embeddings, do not store "
            + "lm_head.weight (by default it is stored in a shard of its own, as Qwen3-1.7B-Base is released).")
    boolean noTiedHead;

    @Option(names = "--max-shard-size", defaultValue = ShardedWriter.DEFAULT_MAX_SHARD_SIZE, paramLabel = "SIZE",
            description = "Largest shard, as transformers' max_shard_size; default ${DEFAULT-VALUE}.")
    String maxShardSize;

    @Option(names = "--tokenizer", paramLabel = "FILE", description = "tokenizer.json to copy in (and a "
            + "tokenizer_config.json beside it, if there is one).")
    Path tokenizer;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--out", paramLabel = "DIR", description = "A plain model folder (must not exist).")
        Path out;

        @ArgGroup(exclusive = false)
        Hub hub;
    }

    static final class Hub {
        @Option(names = "--hub-cache", paramLabel = "DIR", required = true,
                description = "A hub cache root (as $HF_HUB_CACHE) to write the entry into.")
        Path cache;

        @Option(names = "--repo", paramLabel = "ORG/NAME", required = true, description = "The hub id.")
        String repo;

        @Option(names = "--revision", defaultValue = "main", description = "The ref to write; default main.")
        String revision;

        @Option(names = "--commit", paramLabel = "SHA",
                description = "The snapshot's commit (40 hex digits); default: derived from the arguments.")
        String commit;
    }

    @Override
    public Integer call() throws Exception {
        StoredType type = ExportOptionsMixin.storedType(dtype, "bf16, f16 or f32");
        long maxShard = ExportOptionsMixin.shardBytes(maxShardSize);
        if (std <= 0 || !Double.isFinite(std)) {
            throw new IllegalArgumentException("--std must be a positive number, got " + std);
        }
        if (tokenizer != null && !Files.isRegularFile(tokenizer)) {
            throw new IllegalArgumentException("--tokenizer " + tokenizer + ": no such file");
        }
        Qwen3Config config = Qwen3Config.read(configFile);
        if (layers != null) {
            config = config.withNumHiddenLayers(layers);
        }
        Path dest = target.out != null ? target.out : target.hub.cache;
        if (target.out != null && Files.exists(target.out)) {
            throw new IllegalArgumentException("--out " + target.out + " exists; choose a new folder or delete it");
        }
        if (target.out != null) {
            new OutputCheck().newDirectory("--out", target.out);
        } else {
            new OutputCheck().directory("--hub-cache", target.hub.cache);
        }
        Path parent = dest.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path staging = Files.createTempDirectory(parent, "." + dest.getFileName() + ".partial-");
        try {
            RandomCheckpoint checkpoint = new RandomCheckpoint(config, type, seed, std, !noTiedHead, maxShard);
            List<String> files = new java.util.ArrayList<>(checkpoint.write(staging));
            if (tokenizer != null) {
                Files.copy(tokenizer, staging.resolve("tokenizer.json"));
                files.add("tokenizer.json");
                Path tokConfig = tokenizer.resolveSibling("tokenizer_config.json");
                if (Files.isRegularFile(tokConfig)) {
                    Files.copy(tokConfig, staging.resolve("tokenizer_config.json"));
                    files.add("tokenizer_config.json");
                }
            }
            var json = JsonOutput.object();
            var list = json.putArray("files");
            for (String f : files) {
                list.addObject().put("name", f).put("bytes", Files.size(staging.resolve(f)));
            }
            Path result;
            if (target.out != null) {
                Files.move(staging, target.out, StandardCopyOption.ATOMIC_MOVE);
                result = target.out;
            } else {
                String commit = target.hub.commit != null ? target.hub.commit
                        : commitFor(target.hub.repo + "\0" + configFile.getFileName() + "\0" + layers + "\0" + type
                                + "\0" + seed + "\0" + std + "\0" + noTiedHead + "\0" + maxShard);
                result = HubCacheWriter.install(staging, new HubCache(target.hub.cache), target.hub.repo,
                        target.hub.revision, commit);
                json.put("repo", target.hub.repo).put("commit", commit);
            }
            json.put("model", result.toString()).put("dtype", type.name()).put("layers", config.numHiddenLayers());
            JsonOutput.emit(json, null);
        } finally {
            if (Files.exists(staging)) {
                try (var walk = Files.walk(staging)) {
                    for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
        return 0;
    }

    private static String commitFor(String text) throws Exception {
        var md = java.security.MessageDigest.getInstance("SHA-1");
        return java.util.HexFormat.of().formatHex(md.digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
