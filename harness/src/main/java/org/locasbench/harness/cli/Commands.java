package org.locasbench.harness.cli;

import org.locasbench.model.Qwen3Model;
import org.locasbench.model.tokenizer.TextTokenizer;

/** Small helpers the commands share. */
final class Commands {
    private Commands() {}

    /** Refuses ids that would index past the model's embedding table. */
    static void requireIdsFit(long[] ids, Qwen3Model model) {
        for (long id : ids) {
            if (id >= model.config().vocabSize()) {
                throw new IllegalArgumentException("token id " + id + " >= vocab_size " + model.config().vocabSize()
                        + " of " + model.directory() + "; the ids were made for another model");
            }
        }
    }

    /** Reads the input's tokens, loading the model's tokenizer only when text must be tokenized; checks id range. */
    static TextInput.Tokens tokens(TextInput input, Qwen3Model model) {
        TextTokenizer[] tokenizer = new TextTokenizer[1];
        try {
            TextInput.Tokens tokens = input.read(() -> tokenizer[0] = ModelOptions.tokenizerFor(model));
            requireIdsFit(tokens.ids(), model);
            return tokens;
        } finally {
            if (tokenizer[0] != null) {
                tokenizer[0].close();
            }
        }
    }
}
