package org.locasbench.results;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Results on disk: one {@code <name>.json} per {@link Result}, written atomically (temporary sibling, then rename), read
 * strictly: every field must be present ({@code null} where optional), unknown fields, wrong types and non-finite
 * numbers are refused, and every error is an {@link IllegalArgumentException} that starts with the file and names the
 * field. Schema 1 files (written before locas-bench 0.2) are refused with a message that says to re-run.
 */
public final class ResultFiles {
    /** The mapper results are written and read with: indented, strict (see the class comment). */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new SimpleModule("locas-results").addSerializer(Double.class, new CountsAsIntegers())
                    .addSerializer(double.class, new CountsAsIntegers()))
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private ResultFiles() {}

    /** Integral values (counts, token offsets) as {@code 4096} rather than {@code 4096.0}; read back as the same double. */
    private static final class CountsAsIntegers extends StdSerializer<Double> {
        CountsAsIntegers() {
            super(Double.class);
        }

        @Override
        public void serialize(Double v, JsonGenerator g, SerializerProvider p) throws IOException {
            if (v == Math.rint(v) && Math.abs(v) < 0x1p53 && !(v == 0 && 1 / v < 0)) {
                g.writeNumber(v.longValue());
            } else {
                g.writeNumber(v);
            }
        }
    }

    /** Writes {@code dir/<name>.json} atomically and returns it. */
    public static Path write(Path dir, Result result) throws IOException {
        Path file = dir.resolve(result.name() + ".json");
        writeFile(file, result);
        return file;
    }

    /** Writes {@code result} to {@code file} atomically. */
    public static void writeFile(Path file, Result result) throws IOException {
        byte[] json = toJson(result).getBytes(StandardCharsets.UTF_8);
        atomicWrite(file, json);
    }

    /** Writes a plot next to the results, {@code dir/<name>.svg}, atomically. */
    public static Path writeSvg(Path dir, String name, String svg) throws IOException {
        Path file = dir.resolve(name + ".svg");
        atomicWrite(file, svg.getBytes(StandardCharsets.UTF_8));
        return file;
    }

    /** The JSON text of a result, as written to its file (ends with a newline). */
    public static String toJson(Result result) {
        try {
            return MAPPER.writeValueAsString(result) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize result '" + result.name() + "'", e);
        }
    }

    /** Reads one result file. */
    public static Result read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read results file " + file, e);
        }
        return parse(text, file.toString());
    }

    /** Parses a result's JSON text; {@code source} (a file name) starts every error message. */
    public static Result parse(String json, String source) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": not valid JSON (" + e.getOriginalMessage() + ")", e);
        }
        return fromTree(tree, source);
    }

    /**
     * Every result under {@code dir} (recursively, sorted by path). JSON files that are not results (no
     * {@code schema_version} field, e.g. a suite's summary) are skipped; a result file that does not parse is an
     * error. A missing directory gives no results.
     */
    public static List<Result> readDirectory(Path dir) {
        List<Result> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(p -> p.getFileName().toString().endsWith(".json") && Files.isRegularFile(p))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list results under " + dir, e);
        }
        for (Path f : files) {
            JsonNode tree;
            try {
                tree = MAPPER.readTree(f.toFile());
            } catch (JsonProcessingException e) {
                String at = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr();
                throw new IllegalArgumentException(f + ": not a readable results file (not valid JSON" + at + ": "
                        + e.getOriginalMessage().replaceAll("\\s+", " ") + "); run that shard again or remove the file",
                        e);
            } catch (IOException e) {
                throw new IllegalArgumentException(f + ": cannot read (" + e.getMessage() + ")", e);
            }
            if (tree != null && tree.isObject() && tree.has("schema_version")) {
                out.add(fromTree(tree, f.toString()));
            }
        }
        return out;
    }

    private static Result fromTree(JsonNode tree, String source) {
        if (tree == null || !tree.isObject()) {
            throw new IllegalArgumentException(source + ": not a results file (expected a JSON object)");
        }
        JsonNode version = tree.get("schema_version");
        if (version == null || version.isNull()) {
            throw new IllegalArgumentException(source + ": missing field 'schema_version'");
        }
        if (!version.isInt()) {
            throw new IllegalArgumentException(source + ": field 'schema_version' is " + version
                    + "; expected an integer");
        }
        if (version.asInt() == 1) {
            throw new IllegalArgumentException(source + ": results schema 1 (written before locas-bench 0.2); "
                    + "re-run the experiment to get schema " + Result.SCHEMA_VERSION);
        }
        if (version.asInt() != Result.SCHEMA_VERSION) {
            throw new IllegalArgumentException(source + ": results schema " + version.asInt() + " is not supported; "
                    + "this build reads schema " + Result.SCHEMA_VERSION);
        }
        try {
            return MAPPER.treeToValue(tree, Result.class);
        } catch (JsonMappingException e) {
            throw new IllegalArgumentException(source + ": " + describe(e), e);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": " + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException e) { // Jackson lets some constructor exceptions through as they are
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    private static final Pattern MISSING_CREATOR = Pattern.compile("Missing (?:required )?creator property '([^']+)'");

    /** Jackson's error as "missing field 'method.width'", "unknown field 'x'", or the field and Jackson's reason. */
    static String describe(JsonMappingException e) {
        String path = path(e);
        if (e instanceof ValueInstantiationException && e.getCause() instanceof IllegalArgumentException cause) {
            // our records' own checks, which name the field; an answer's check does not know its index
            Matcher index = Pattern.compile("^answers\\[\\d+]").matcher(path);
            return index.find() ? cause.getMessage().replace("answers[]", index.group()) : cause.getMessage();
        }
        if (e instanceof UnrecognizedPropertyException u) {
            return "unknown field '" + field(path, u.getPropertyName()) + "'";
        }
        Matcher m = MISSING_CREATOR.matcher(e.getOriginalMessage());
        if (e instanceof MismatchedInputException && m.find()) {
            return "missing field '" + field(path, m.group(1)) + "'";
        }
        String reason = e.getOriginalMessage().split("\n", 2)[0];
        return path.isEmpty() ? reason : "field '" + path + "': " + reason;
    }

    /** The path to {@code field}: Jackson's path ends with the field already for some errors, not for others. */
    private static String field(String path, String field) {
        if (path.equals(field) || path.endsWith("." + field)) {
            return path;
        }
        return path.isEmpty() ? field : path + "." + field;
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    /** Temporary sibling, then an atomic rename: an interrupted write never leaves a file that looks complete. */
    private static void atomicWrite(Path target, byte[] bytes) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".partial");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
                out.write(bytes);
            }
            try { // temporary files are created owner-only; outputs get the usual rw-r--r--
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: keep the default
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
