package org.locasbench.harness.data;

import java.nio.file.Path;
import java.util.Map;

/**
 * One PG-19 book listed in a manifest: its plain-text file, the sha256 that file must have, and its length in tokens
 * for the tokenizers the manifest records (keyed by the sha256 of {@code tokenizer.json}), so that a preset can choose
 * books that reach its PPL marks and a run can check that it tokenized the book as recorded.
 */
public record Pg19Book(String id, String title, String split, Path file, String sha256, Map<String, Long> tokens) {
    public Pg19Book {
        tokens = Map.copyOf(tokens);
    }

    /** The recorded token count for a tokenizer (by its file's sha256), or null when the manifest has none. */
    public Long tokensFor(String tokenizerSha256) {
        return tokens.get(tokenizerSha256.toLowerCase(java.util.Locale.ROOT));
    }
}
