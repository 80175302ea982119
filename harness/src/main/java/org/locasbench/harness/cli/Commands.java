package org.locasbench.harness.cli;

import org.locasbench.model.Qwen3Model;
import org.locasbench.model.tokenizer.TextTokenizer;

/** Small helpers the commands share. */
final class Commands {
    private Commands() {}

    /**
     * The one id-range check every command's input passes (ids files and tokenizer output alike): an id past the
     * model's embedding table is an error naming the input, the element and the model's vocab_size, not a libtorch
     * index error.
     */
    static void requireIdsFit(TextInput.Tokens tokens, Qwen3Model model) {
        long[] ids = tokens.ids();
        int vocab = model.config().vocabSize();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= vocab) {
                throw new IllegalArgumentException(tokens.description() + ": element " + i + " is token id " + ids[i]
                        + ", outside the vocabulary of " + model.directory() + " (vocab_size " + vocab + ", ids 0.."
                        + (vocab - 1) + "); the ids were made with another model's tokenizer");
            }
        }
    }

    /** Reads the input's tokens, loading the model's tokenizer only when text must be tokenized; checks id range. */
    static TextInput.Tokens tokens(TextInput input, Qwen3Model model) {
        TextTokenizer[] tokenizer = new TextTokenizer[1];
        try {
            TextInput.Tokens tokens = input.read(() -> tokenizer[0] = ModelOptions.tokenizerFor(model));
            requireIdsFit(tokens, model);
            return tokens;
        } finally {
            if (tokenizer[0] != null) {
                tokenizer[0].close();
            }
        }
    }
}
