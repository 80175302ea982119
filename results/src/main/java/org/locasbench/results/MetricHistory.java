package org.locasbench.results;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.locasbench.results.Metrics.Breakdowns;
import org.locasbench.results.Metrics.Experiments;
import org.locasbench.results.Metrics.LocomoCategories;

/**
 * The metric history: a JSON-lines file, one {@link HistoryRecord} per line, that every report run appends the
 * headline metrics of its results to, so that trends across commits can be drawn. Kept outside the clone (default
 * {@link #defaultFile()}, next to the Allure history) so consecutive runs on one runner accumulate; CI caches it.
 *
 * <p>Appending is atomic enough: under a lock on a sibling {@code .lock} file, the old lines and the new ones are
 * written to a temporary sibling which is then renamed over the file, so an interrupted run leaves the old history.
 * Reading is strict: a missing file is an empty history, but a line that is not a valid record is an
 * {@link IllegalArgumentException} that names the file and the line.
 */
public final class MetricHistory {
    /** The system property / Maven property that moves the file. */
    public static final String FILE_PROPERTY = "metrics.history.file";

    /** One record per line: not indented; otherwise {@link ResultFiles#MAPPER}'s strict rules. */
    static final ObjectMapper LINES = ResultFiles.MAPPER.copy().disable(SerializationFeature.INDENT_OUTPUT);

    private MetricHistory() {}

    /** {@code -Dmetrics.history.file}, else {@code ~/.cache/locas-bench/metric-history.jsonl}. */
    public static Path defaultFile() {
        String p = System.getProperty(FILE_PROPERTY);
        return p != null && !p.isBlank() ? Path.of(p)
                : Path.of(System.getProperty("user.home"), ".cache", "locas-bench", "metric-history.jsonl");
    }

    // ---- what is recorded -------------------------------------------------------------------------------------------

    /**
     * The headline metrics of a result, by the baselines' names ({@link Result#value}), in display order:
     * pg19 / ablation: {@code ppl}, {@code temp_lora_ppl}, {@code ppl_at.MARK} for each mark; mmlu:
     * {@code macro_accuracy}, {@code micro_accuracy}; locomo: {@code overall_f1}, {@code f1_by_category.CATEGORY} for
     * each category; then, for every experiment, {@code tokens_per_second} and {@code wall_seconds}. Absent ones are
     * left out.
     */
    public static Map<String, Double> headline(Result r) {
        Map<String, Double> m = new LinkedHashMap<>();
        switch (r.experiment()) {
            case Experiments.PG19, Experiments.ABLATION -> {
                put(m, Metrics.PPL, r);
                put(m, Metrics.TEMP_LORA_PPL, r);
                Map<String, Double> marks = new TreeMap<>(MetricHistory::compareMarks);
                marks.putAll(r.breakdown(Breakdowns.PPL_AT));
                marks.forEach((mark, v) -> m.put(Breakdowns.PPL_AT + "." + mark, v));
            }
            case Experiments.MMLU -> {
                put(m, Metrics.MACRO_ACCURACY, r);
                put(m, Metrics.MICRO_ACCURACY, r);
            }
            case Experiments.LOCOMO -> {
                put(m, Metrics.OVERALL_F1, r);
                Map<String, Double> f1 = r.breakdown(Breakdowns.F1_BY_CATEGORY);
                for (String c : LocomoCategories.NAMES) {
                    if (f1.containsKey(c)) {
                        m.put(Breakdowns.F1_BY_CATEGORY + "." + c, f1.get(c));
                    }
                }
            }
            default -> { }
        }
        put(m, Metrics.TOKENS_PER_SECOND, r);
        put(m, Metrics.WALL_SECONDS, r);
        return m;
    }

    private static void put(Map<String, Double> m, String metric, Result r) {
        r.metric(metric).ifPresent(v -> m.put(metric, v));
    }

    /** Marks numerically ("1024" before "10240"), anything else after, by text. */
    static int compareMarks(String a, String b) {
        try {
            return Double.compare(Double.parseDouble(a), Double.parseDouble(b));
        } catch (NumberFormatException e) {
            return a.compareTo(b);
        }
    }

    /** The record of one result, recorded on {@code host}; null when it has no headline metric. */
    public static HistoryRecord recordOf(Result r, String host) {
        Map<String, Double> metrics = headline(r);
        if (metrics.isEmpty()) {
            return null;
        }
        Environment env = r.environment();
        return new HistoryRecord(HistoryRecord.VERSION, env.gitCommit(), env.timestamp(),
                HistoryRecord.Machine.of(host, env.hardware()), configHash(r.config()), r.experiment(), r.unit(),
                r.name(), r.method().id(), r.method().label(), metrics);
    }

    /** The records of several results (those without headline metrics left out), in their order. */
    public static List<HistoryRecord> recordsOf(List<Result> results, String host) {
        List<HistoryRecord> out = new ArrayList<>();
        for (Result r : results) {
            HistoryRecord rec = recordOf(r, host);
            if (rec != null) {
                out.add(rec);
            }
        }
        return out;
    }

    /**
     * SHA-256 of the config tree in canonical form (object keys sorted at every level, null-valued keys left out,
     * compact JSON, UTF-8), the first 16 hex digits. Key order does not change it; any value does. Null keys are left
     * out so that a new option whose default is null ("as before") does not split every metric's series in two.
     */
    public static String configHash(JsonNode config) {
        try {
            byte[] canonical = LINES.writeValueAsBytes(canonical(config));
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical);
            return HexFormat.of().formatHex(digest).substring(0, 16);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash a config", e);
        }
    }

    private static JsonNode canonical(JsonNode node) {
        if (node.isObject()) {
            TreeMap<String, JsonNode> sorted = new TreeMap<>();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (!e.getValue().isNull()) {
                    sorted.put(e.getKey(), canonical(e.getValue()));
                }
            }
            ObjectNode out = LINES.createObjectNode();
            sorted.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            var out = LINES.createArrayNode();
            node.forEach(n -> out.add(canonical(n)));
            return out;
        }
        return node;
    }

    /**
     * This host's name, for {@link HistoryRecord.Machine#host()}: {@code InetAddress.getLocalHost()}, else
     * {@code $HOSTNAME}, else "unknown".
     */
    public static String localHost() {
        try {
            String h = InetAddress.getLocalHost().getHostName();
            if (h != null && !h.isBlank()) {
                return h;
            }
        } catch (IOException e) {
            // fall through
        }
        String env = System.getenv("HOSTNAME");
        return env != null && !env.isBlank() ? env : "unknown";
    }

    // ---- the file ---------------------------------------------------------------------------------------------------

    /** One record as its line (no newline). */
    public static String toLine(HistoryRecord record) {
        try {
            return LINES.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize the history record of '" + record.result() + "'", e);
        }
    }

    /** Every record of the file, in file order; a missing file is an empty history. */
    public static List<HistoryRecord> read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (NoSuchFileException e) {
            return new ArrayList<>();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the metric history " + file, e);
        }
    }

    /**
     * Parses JSON-lines text; a line that is not a valid record (not JSON, a missing or unknown field, another
     * version, a blank line other than a final newline) is an error {@code SOURCE:LINE: reason}.
     */
    public static List<HistoryRecord> parse(String text, String source) {
        List<HistoryRecord> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        int count = text.endsWith("\n") ? lines.length - 1 : lines.length;
        if (text.isEmpty()) {
            count = 0;
        }
        for (int i = 0; i < count; i++) {
            out.add(parseLine(lines[i], source, i + 1));
        }
        return out;
    }

    private static HistoryRecord parseLine(String line, String source, int number) {
        String at = source + ":" + number + ": ";
        String fix = " (fix or delete that line of the metric history)";
        if (line.isBlank()) {
            throw new IllegalArgumentException(at + "blank line; every line is one record" + fix);
        }
        JsonNode tree;
        try {
            tree = LINES.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(at + "not valid JSON (" + e.getOriginalMessage() + ")" + fix, e);
        }
        if (tree == null || !tree.isObject()) {
            throw new IllegalArgumentException(at + "not a history record (expected a JSON object)" + fix);
        }
        try {
            return LINES.treeToValue(tree, HistoryRecord.class);
        } catch (JsonMappingException e) {
            throw new IllegalArgumentException(at + ResultFiles.describe(e) + fix, e);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalArgumentException(at + e.getMessage() + fix, e);
        }
    }

    /**
     * Appends {@code records} to {@code file} (created with its folders when missing), leaving out those already in it
     * ({@link HistoryRecord#runKey()}: the same results reported twice), and returns the ones appended. The existing
     * file is validated first (a corrupt line is an error and nothing is written), then its bytes and the new lines
     * go to a temporary sibling that is renamed over it, under a lock on {@code FILE.lock}.
     */
    public static List<HistoryRecord> append(Path file, List<HistoryRecord> records) throws IOException {
        if (records.isEmpty()) { // nothing ran: leave the cache folder alone
            return new ArrayList<>();
        }
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path lockFile = dir.resolve(target.getFileName() + ".lock");
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.lock()) {
            byte[] old = Files.exists(target) ? Files.readAllBytes(target) : new byte[0];
            String oldText = new String(old, StandardCharsets.UTF_8);
            Set<String> present = new HashSet<>();
            for (HistoryRecord r : parse(oldText, file.toString())) {
                present.add(r.runKey());
            }
            List<HistoryRecord> added = new ArrayList<>();
            StringBuilder lines = new StringBuilder();
            if (!oldText.isEmpty() && !oldText.endsWith("\n")) {
                lines.append('\n');
            }
            for (HistoryRecord r : records) {
                if (present.add(r.runKey())) {
                    added.add(r);
                    lines.append(toLine(r)).append('\n');
                }
            }
            if (added.isEmpty()) {
                return added;
            }
            Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".partial");
            try {
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    out.write(old);
                    out.write(lines.toString().getBytes(StandardCharsets.UTF_8));
                }
                try {
                    Files.setPosixFilePermissions(tmp,
                            java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system
                }
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return added;
        }
    }
}
