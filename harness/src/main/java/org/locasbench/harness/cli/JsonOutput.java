package org.locasbench.harness.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import org.locasbench.model.AtomicFiles;

/** Commands answer in JSON: on stdout, or written atomically to {@code --out}. */
public final class JsonOutput {
    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonOutput() {}

    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** Prints or writes a command's result; a NaN/Inf in it is an error instead (see {@link FiniteResults}). */
    public static void emit(ObjectNode json, Path out) throws IOException {
        FiniteResults.require(json, "result");
        if (out == null) {
            System.out.println(JSON.writeValueAsString(json));
        } else {
            AtomicFiles.write(out, o -> JSON.writeValue(o, json));
            System.err.println("wrote " + out);
        }
    }
}
