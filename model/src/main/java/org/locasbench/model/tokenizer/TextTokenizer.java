package org.locasbench.model.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.locasbench.model.ModelFormatException;

/**
 * A Hugging Face {@code tokenizer.json}, run by DJL's binding of the Rust tokenizers library (bundled in the jar, so it
 * needs no download). No special tokens are added, nothing is truncated or padded: scoring a whole book sees every
 * token.
 */
public final class TextTokenizer implements AutoCloseable {
    private final Path file;
    private final HuggingFaceTokenizer tokenizer;
    private final int vocabularySize;
    private String sha256;

    private TextTokenizer(Path file, HuggingFaceTokenizer tokenizer, int vocabularySize) {
        this.file = file;
        this.tokenizer = tokenizer;
        this.vocabularySize = vocabularySize;
    }

    /** Loads {@code tokenizer.json} from a model directory or a direct path. */
    public static TextTokenizer load(Path fileOrDirectory) {
        Path file = Files.isDirectory(fileOrDirectory) ? fileOrDirectory.resolve("tokenizer.json") : fileOrDirectory;
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException(file, "tokenizer.json not found; copy it from the model's hub repository "
                    + "into the model directory (or pass --ids with pre-tokenized ids)");
        }
        int vocab = countVocabulary(file);
        try {
            HuggingFaceTokenizer t = HuggingFaceTokenizer.newInstance(file, Map.of(
                    "addSpecialTokens", "false", "truncation", "false", "padding", "false",
                    "maxLength", String.valueOf(Integer.MAX_VALUE / 2)));
            return new TextTokenizer(file, t, vocab);
        } catch (IOException | RuntimeException e) {
            throw new ModelFormatException(file, "the tokenizers library cannot load this file (" + e.getMessage()
                    + "); it must be a Hugging Face tokenizer.json", e);
        }
    }

    /** Largest token id + 1 over the model vocabulary and added tokens, read from the JSON itself. */
    private static int countVocabulary(Path file) {
        int max = -1;
        try (JsonParser p = new JsonFactory().createParser(file.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new ModelFormatException(file, "not a JSON object; not a Hugging Face tokenizer.json");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (field.equals("added_tokens")) {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String key = p.currentName();
                            p.nextToken();
                            if (key.equals("id")) {
                                max = Math.max(max, p.getIntValue());
                            } else {
                                p.skipChildren();
                            }
                        }
                    }
                } else if (field.equals("model")) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String key = p.currentName();
                        p.nextToken();
                        if (key.equals("vocab") && p.currentToken() == JsonToken.START_OBJECT) {
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                p.nextToken();
                                max = Math.max(max, p.getIntValue());
                            }
                        } else {
                            p.skipChildren();
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new ModelFormatException(file, "not valid JSON (" + e.getMessage() + "); download tokenizer.json "
                    + "again", e);
        }
        if (max < 0) {
            throw new ModelFormatException(file, "has no model.vocab; not a BPE/WordPiece tokenizer.json");
        }
        return max + 1;
    }

    /** Refuses a tokenizer whose ids would index past the model's embedding table. */
    public void requireFits(int modelVocabularySize, Path modelConfig) {
        if (vocabularySize > modelVocabularySize) {
            throw new ModelFormatException(file, "produces ids up to " + (vocabularySize - 1) + " but the model ("
                    + modelConfig + ") has vocab_size " + modelVocabularySize + "; this tokenizer belongs to another "
                    + "model: use the tokenizer.json shipped with the weights");
        }
    }

    public int vocabularySize() {
        return vocabularySize;
    }

    public long[] encode(String text) {
        Encoding e = tokenizer.encode(text, false, false);
        return e.getIds();
    }

    public String decode(long[] ids) {
        return tokenizer.decode(ids, false);
    }

    public Path file() {
        return file;
    }

    /** The sha256 of {@code tokenizer.json}: which tokenizer a recorded token count (a PG-19 manifest's) belongs to. */
    public synchronized String sha256() {
        if (sha256 == null) {
            sha256 = digest();
        }
        return sha256;
    }

    private String digest() {
        try {
            return org.locasbench.model.hub.BlobIds.sha256(file);
        } catch (IOException e) {
            throw new ModelFormatException(file, "cannot read the tokenizer: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
