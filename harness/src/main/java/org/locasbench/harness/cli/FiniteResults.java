package org.locasbench.harness.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * A result holds only finite numbers: every command checks its JSON here before anything of it (or the adapter it
 * describes) is printed or written, so a NaN/Inf metric is an error naming the field, never a result.
 */
final class FiniteResults {
    private FiniteResults() {}

    /** Thrown for a non-finite number in a result; the command line prints it as one error line, exit 2. */
    static final class NonFiniteResultException extends RuntimeException {
        NonFiniteResultException(String message) {
            super(message);
        }
    }

    /** {@code what} names the result (a command, a results file) in the message. */
    static void require(JsonNode result, String what) {
        JsonNode tree = JsonOutput.JSON.valueToTree(result); // POJO arrays (float[] nll) become number nodes
        String bad = firstNonFinite(tree, "");
        if (bad != null) {
            throw new NonFiniteResultException(what + ": " + bad + " is not a finite number, so nothing was written; "
                    + "the model's predictions or the training diverged: check the weights, the input and the "
                    + "learning rate");
        }
    }

    /** {@code path = value} of the first NaN/Inf below {@code node}, or null. */
    private static String firstNonFinite(JsonNode node, String path) {
        if (node.isNumber() && (node.isDouble() || node.isFloat()) && !Double.isFinite(node.asDouble())) {
            return "'" + (path.isEmpty() ? "value" : path) + "' = " + node.asDouble();
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String bad = firstNonFinite(node.get(i), path + "[" + i + "]");
                if (bad != null) {
                    return bad;
                }
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String bad = firstNonFinite(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey());
                if (bad != null) {
                    return bad;
                }
            }
        }
        return null;
    }
}
