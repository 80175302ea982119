package org.locasbench.harness.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Supplier;
import org.locasbench.harness.data.Pg19Book;
import org.locasbench.harness.data.Pg19Library;
import org.locasbench.model.JsonFields;
import org.locasbench.model.ModelFormatException;
import org.locasbench.model.TextFiles;
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
        return TextFiles.readUtf8(file).replace("\r\n", "\n");
    }

    /**
     * A JSON array of non-negative integer token ids and nothing else: {@code null}, {@code 17.5}, {@code "17"}, a
     * second array or any trailing text is an error naming the file and the element index (Jackson's data binding
     * would read them as 0, 17, 17 or ignore them).
     */
    public static long[] readIds(Path file) {
        if (java.nio.file.Files.isDirectory(file)) {
            throw new ModelFormatException(file, "is a directory; --ids takes a JSON file of token ids");
        }
        int n = 0; // elements read: where a syntax error is
        try (JsonParser p = IDS_JSON.createParser(file.toFile())) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new ModelFormatException(file, "expected a JSON array of token ids like [151643, 785, 3974], "
                        + "found " + describe(p) + " at the start");
            }
            long[] ids = new long[1024];
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                if (t == null) {
                    throw new ModelFormatException(file, "the array ends without ']' after element " + (n - 1)
                            + "; the file is truncated");
                }
                if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    throw new ModelFormatException(file, "element " + n + " is " + describe(p) + "; every element "
                            + "must be a non-negative integer token id");
                }
                long id = p.getLongValue();
                if (id < 0) {
                    throw new ModelFormatException(file, "element " + n + " is " + id + ", a negative token id");
                }
                if (n == ids.length) {
                    ids = Arrays.copyOf(ids, 2 * n);
                }
                ids[n++] = id;
            }
            int count = n;
            n = -1; // past the array
            if (p.nextToken() != null) {
                throw new ModelFormatException(file, "after the array of " + count + " ids comes " + describe(p)
                        + " (line " + p.currentLocation().getLineNr() + "); the file must hold one JSON array and "
                        + "nothing else");
            }
            return Arrays.copyOf(ids, count);
        } catch (java.io.FileNotFoundException | java.nio.file.NoSuchFileException e) {
            throw new ModelFormatException(file, "file not found");
        } catch (IOException e) {
            String where = n < 0 ? "after the array" : "at element " + n;
            throw new ModelFormatException(file, "not a JSON array of token ids " + where + ": "
                    + JsonFields.describe(e), e);
        }
    }

    private static final JsonFactory IDS_JSON = new JsonFactory();

    private static String describe(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == null) {
            return "the end of the file";
        }
        return switch (t) {
            case VALUE_NULL -> "null";
            case VALUE_STRING -> "the string \"" + p.getText() + "\"";
            case VALUE_NUMBER_FLOAT -> p.getText() + ", not an integer";
            case VALUE_NUMBER_INT -> p.getText() + ", too large for a token id";
            case VALUE_TRUE, VALUE_FALSE -> p.getText();
            case START_ARRAY -> "a nested or second array";
            case START_OBJECT -> "an object";
            default -> "'" + p.getText() + "'";
        };
    }
}
