package org.locasbench.harness.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.locasbench.model.JsonFields;
import org.locasbench.model.ModelFormatException;

/**
 * PG-19 books described by a {@code manifest.json} ({@code books: [{id, file, split, title, sha256}]}), one plain-text
 * book per file. Text is read as UTF-8 with CRLF normalised to LF (what the Hugging Face pg19 loader returns) and is
 * checked against the manifest's sha256 before use.
 */
public final class Pg19Library {
    private final Path manifest;
    private final List<Pg19Book> books;

    private Pg19Library(Path manifest, List<Pg19Book> books) {
        this.manifest = manifest;
        this.books = books;
    }

    public static Pg19Library load(Path manifest) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(manifest.toFile());
        } catch (IOException e) {
            throw new ModelFormatException(manifest, "cannot read the PG-19 manifest: " + JsonFields.describe(e), e);
        }
        JsonNode list = root == null ? null : root.get("books");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new ModelFormatException(manifest, "no 'books' array; a manifest lists {id, file, sha256} per book");
        }
        List<Pg19Book> books = new ArrayList<>();
        for (JsonNode b : list) {
            for (String field : new String[] {"id", "file"}) {
                if (!b.hasNonNull(field)) {
                    throw new ModelFormatException(manifest, "a book entry lacks '" + field + "': " + b);
                }
            }
            books.add(new Pg19Book(b.get("id").asText(), b.path("title").asText(""), b.path("split").asText(""),
                    manifest.resolveSibling(b.get("file").asText()), b.path("sha256").asText(null),
                    tokenCounts(manifest, b)));
        }
        return new Pg19Library(manifest, List.copyOf(books));
    }

    /** A book's {@code tokens}: {tokenizer.json sha256: count}, every count a positive integer. */
    private static java.util.Map<String, Long> tokenCounts(Path manifest, JsonNode book) {
        JsonNode node = book.get("tokens");
        java.util.Map<String, Long> counts = new java.util.LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return counts;
        }
        if (!node.isObject()) {
            throw new ModelFormatException(manifest, "book " + book.get("id").asText() + ": 'tokens' must map a "
                    + "tokenizer.json sha256 to the book's token count, got " + node);
        }
        for (var field : (Iterable<java.util.Map.Entry<String, JsonNode>>) node::fields) {
            String sha = field.getKey().toLowerCase(java.util.Locale.ROOT);
            JsonNode v = field.getValue();
            if (!sha.matches("[0-9a-f]{64}") || !v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() <= 0) {
                throw new ModelFormatException(manifest, "book " + book.get("id").asText() + ": tokens entry "
                        + field.getKey() + ": " + v + " is not {64-hex-digit sha256: positive count}");
            }
            counts.put(sha, v.asLong());
        }
        return counts;
    }

    public List<Pg19Book> books() {
        return books;
    }

    public Pg19Book book(String id) {
        return books.stream().filter(b -> b.id().equals(id)).findFirst().orElseThrow(() -> new ModelFormatException(
                manifest, "no book '" + id + "'; available: " + books.stream().map(Pg19Book::id).toList()));
    }

    /** The book's text, verified against its sha256, CRLF -> LF. */
    public static String text(Pg19Book book) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(book.file());
        } catch (IOException e) {
            throw new ModelFormatException(book.file(), "cannot read book " + book.id() + ": " + e.getMessage(), e);
        }
        if (book.sha256() != null && !book.sha256().equalsIgnoreCase(sha256(bytes))) {
            throw new ModelFormatException(book.file(), "sha256 " + sha256(bytes) + " differs from the manifest's "
                    + book.sha256() + "; the file was modified: restore it from the source listed in the manifest");
        }
        String text = org.locasbench.model.TextFiles.decodeUtf8(bytes, book.file()).replace("\r\n", "\n");
        if (text.isBlank()) {
            throw new ModelFormatException(book.file(), "book " + book.id() + " is empty");
        }
        return text;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
