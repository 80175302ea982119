package org.locasbench.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.locasbench.model.tokenizer.TextTokenizer;

/** DJL's tokenizers binding gives Hugging Face's ids, offline, and never truncates. */
class TokenizerParityTest {

    @Test
    void realQwen3TokenizerGivesHuggingFaceIds() throws Exception {
        Path tokenizerJson = TestData.sharedData().resolve("qwen3/Qwen3-0.6B/tokenizer.json");
        JsonNode ref = new ObjectMapper().readTree(TestData.fixture("qwen3-tokenizer.json").toFile());
        try (TextTokenizer tokenizer = TextTokenizer.load(tokenizerJson)) {
            assertThat(tokenizer.vocabularySize()).isEqualTo(151669);
            for (JsonNode c : ref.get("cases")) {
                long[] expected = new ObjectMapper().convertValue(c.get("ids"), long[].class);
                assertThat(tokenizer.encode(c.get("text").asText())).as(c.get("text").asText())
                        .containsExactly(expected);
            }
        }
    }

    @Test
    void longTextIsNotTruncatedAndRoundTrips() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            text.append("Chapter ").append(i).append(". It was a dark and stormy night; the rain fell in torrents.\n");
        }
        try (TextTokenizer tokenizer = TextTokenizer.load(TestData.bundledModel())) {
            long[] ids = tokenizer.encode(text.toString());
            assertThat(ids.length).isGreaterThan(5000);
            assertThat(tokenizer.decode(ids)).isEqualTo(text.toString());
            assertThat(tokenizer.vocabularySize()).isEqualTo(8192);
        }
    }

    @Test
    void tokenizerForAnotherVocabularyIsRefused() {
        try (TextTokenizer tokenizer = TextTokenizer.load(TestData.bundledModel())) {
            Path config = TestData.fixture("tiny-qwen3/config.json");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> tokenizer.requireFits(512, config))
                    .isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining("vocab_size 512").hasMessageContaining("another model");
        }
    }
}
