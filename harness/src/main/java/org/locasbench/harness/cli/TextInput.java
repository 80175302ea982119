package org.locasbench.harness.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Supplier;
import org.locasbench.harness.data.Pg19Book;
import org.locasbench.harness.data.Pg19Library;
import org.locasbench.model.ModelFormatException;
import org.locasbench.model.tokenizer.TextTokenizer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** Where the tokens come from: a bundled PG-19 book (default 10146), a UTF-8 text file, or a JSON array of token ids. */
public final class TextInput {
    static final class Source {
        @Option(names = "--book", paramLabel = "ID", description = "A PG-19 book of data/pg19/manifest.json.")
        String book;

        @Option(names = "--text", paramLabel = "FILE", description = "A UTF-8 text file (CRLF read as LF).")
        Path text;

        @Option(names = "--ids", paramLabel = "FILE", description = "A JSON array of token ids (no tokenizer needed).")
        Path ids;
    }

    @ArgGroup(exclusive = true)
    Source source = new Source();

    @Option(names = "--max-tokens", paramLabel = "N", description = "Use only the first N tokens.")
    Integer maxTokens;

    /** Describes and tokenizes the input; the tokenizer is only loaded when text must be tokenized. */
    public record Tokens(String description, long[] ids) {}

    public Tokens read(Supplier<TextTokenizer> tokenizer) {
        Tokens t;
        if (source.ids != null) {
            t = new Tokens(source.ids.toString(), readIds(source.ids));
        } else if (source.text != null) {
            t = new Tokens(source.text.toString(), encode(tokenizer, readText(source.text)));
        } else {
            Pg19Library library = Pg19Library.load(org.locasbench.harness.config.DataPaths.pg19Manifest());
            Pg19Book book = library.book(source.book != null ? source.book : "10146");
            t = new Tokens("PG-19 " + book.id() + " \"" + book.title() + "\"", encode(tokenizer, Pg19Library.text(book)));
        }
        if (maxTokens != null) {
            if (maxTokens < 2) {
                throw new IllegalArgumentException("--max-tokens must be at least 2, got " + maxTokens);
            }
            t = new Tokens(t.description() + ", first " + Math.min(maxTokens, t.ids().length) + " tokens",
                    Arrays.copyOf(t.ids(), Math.min(maxTokens, t.ids().length)));
        }
        if (t.ids().length < 2) {
            throw new IllegalArgumentException(t.description() + " has fewer than 2 tokens: nothing to score");
        }
        return t;
    }

    private static long[] encode(Supplier<TextTokenizer> tokenizer, String text) {
        return tokenizer.get().encode(text);
    }

    static String readText(Path file) {
        try {
            return Files.readString(file).replace("\r\n", "\n");
        } catch (IOException e) {
            throw new ModelFormatException(file, "cannot read text: " + e.getMessage(), e);
        }
    }

    public static long[] readIds(Path file) {
        try {
            long[] ids = new ObjectMapper().readValue(file.toFile(), long[].class);
            for (long id : ids) {
                if (id < 0) {
                    throw new ModelFormatException(file, "negative token id " + id);
                }
            }
            return ids;
        } catch (IOException e) {
            throw new ModelFormatException(file, "expected a JSON array of token ids like [151643, 785, 3974]: "
                    + e.getMessage(), e);
        }
    }
}
