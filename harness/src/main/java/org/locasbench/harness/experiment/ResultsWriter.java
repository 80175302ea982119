package org.locasbench.harness.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.locasbench.model.AtomicFiles;

/** One results JSON per run (and its plot), written atomically under the results directory. */
public final class ResultsWriter {
    public static final int SCHEMA_VERSION = 1;
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;

    public ResultsWriter(Path dir) {
        this.dir = dir;
    }

    public Path write(String name, ObjectNode result) throws IOException {
        Path file = dir.resolve(name + ".json");
        AtomicFiles.write(file, o -> JSON.writeValue(o, result));
        return file;
    }

    public Path writeSvg(String name, String svg) throws IOException {
        Path file = dir.resolve(name + ".svg");
        AtomicFiles.write(file, o -> o.write(svg.getBytes(StandardCharsets.UTF_8)));
        return file;
    }

    public static String toJson(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
