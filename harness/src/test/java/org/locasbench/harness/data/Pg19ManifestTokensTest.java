package org.locasbench.harness.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.locasbench.model.TestData;
import org.locasbench.model.tokenizer.TextTokenizer;

/**
 * Issue 15: the PG-19 manifests record each book's length in tokens per tokenizer, counted by the Hugging Face
 * {@code tokenizers} library in Python (the manifests' {@code tokens_note}); the project's tokenizer must give the same
 * counts, or a preset choosing books by their counts would choose wrongly.
 */
class Pg19ManifestTokensTest {
    static final Path DATA = TestData.dataDir();
    static final Path BUNDLED_TOKENIZER = DATA.resolve("models/tiny-qwen3-gutenberg/tokenizer.json");

    @Test
    void bundledBooksHaveTheRecordedTokenCountsOfTheBundledModel() {
        checkCounts(Pg19Library.load(DATA.resolve("pg19/manifest.json")), List.of(BUNDLED_TOKENIZER));
    }

    @Test
    void bundledBooksHaveTheRecordedQwen3TokenCounts() {
        checkCounts(Pg19Library.load(DATA.resolve("pg19/manifest.json")), List.of(qwen3Tokenizer()));
    }

    @Test
    void sharedBooksHaveTheRecordedTokenCounts() {
        Path qwen3 = qwen3Tokenizer();
        Pg19Library library = Pg19Library.load(DATA.resolve("pg19/shared-manifest.json"));
        assertThat(library.books()).hasSize(7);
        assertThat(library.books().stream().filter(b -> b.split().equals("test")).map(Pg19Book::id))
                .containsExactly("10146", "10321", "10356", "10762");
        checkCounts(library, List.of(qwen3, BUNDLED_TOKENIZER));
    }

    /** The real Qwen3 tokenizer.json of ../shared (skips with a message when it is absent). */
    private static Path qwen3Tokenizer() {
        return TestData.sharedData().resolve("qwen3/Qwen3-0.6B/tokenizer.json");
    }

    private static void checkCounts(Pg19Library library, List<Path> tokenizers) {
        int checked = 0;
        for (Path file : tokenizers) {
            try (TextTokenizer tokenizer = TextTokenizer.load(file)) {
                for (Pg19Book book : library.books()) {
                    Long recorded = book.tokensFor(tokenizer.sha256());
                    assertThat(recorded).as("book %s has a count for %s", book.id(), file).isNotNull();
                    assertThat((long) tokenizer.encode(Pg19Library.text(book)).length)
                            .as("book %s with %s", book.id(), file.getFileName()).isEqualTo(recorded);
                    checked++;
                }
            }
        }
        assertThat(checked).isEqualTo(tokenizers.size() * library.books().size());
    }
}
