package org.locasbench.harness.config;

import java.util.List;

/**
 * Section {@code pg19}: the books streamed (PG-19 and the ablation; MMLU's forgetting book comes from the same manifest).
 *
 * @param manifest a PG-19 manifest.json; null = the bundled data/pg19/manifest.json
 * @param marks cumulative token positions for PPL@mark; null = quarters of the streamed length
 * @param maxTokens stream only the first N tokens of each book; null = whole books
 */
public record Pg19Settings(String manifest, List<String> books, List<Integer> marks, Integer maxTokens) {
    public Pg19Settings {
        ConfigException.require(books != null && !books.isEmpty(), "pg19.books", "must list at least one book id");
        ConfigException.require(marks == null || marks.stream().allMatch(m -> m != null && m > 0), "pg19.marks",
                "must be positive token counts, got " + marks);
        ConfigException.require(maxTokens == null || maxTokens >= 2, "pg19.maxTokens", "must be >= 2, got "
                + maxTokens);
        books = List.copyOf(books);
        marks = marks == null ? null : List.copyOf(marks);
    }
}
