package org.locasbench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.locasbench.harness.generation.GreedyGenerator;
import org.locasbench.harness.generation.UncachedGreedyDecoding;
import org.locasbench.harness.metrics.LocomoScoring;
import org.locasbench.harness.metrics.PorterStemmer;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.TestData;
import org.locasbench.model.adapter.LayerAdapter;

class MetricsTest {
    /** The example of NLTK's own documentation (nltk.stem.porter, "Sample usage"). */
    @Test
    void porterStemmerReproducesNltksPublishedExample() {
        PorterStemmer stemmer = new PorterStemmer();
        String[] plurals = {"caresses", "flies", "dies", "mules", "denied", "died", "agreed", "owned", "humbled",
            "sized", "meeting", "stating", "siezing", "itemization", "sensational", "traditional", "reference",
            "colonizer", "plotted"};
        String stems = String.join(" ", Arrays.stream(plurals).map(stemmer::stem).toList());
        assertThat(stems).isEqualTo("caress fli die mule deni die agre own humbl size meet state siez item sensat "
                + "tradit refer colon plot");
        assertThat(stemmer.stem("generously")).isEqualTo("gener"); // NLTK book, ch. 3
        assertThat(stemmer.stem("dying")).isEqualTo("die");
        assertThat(stemmer.stem("skies")).isEqualTo("sky");
        assertThat(stemmer.stem("happy")).isEqualTo("happi");
        assertThat(stemmer.stem("enjoy")).isEqualTo("enjoy");
        assertThat(stemmer.stem("controll")).isEqualTo("control");
        assertThat(stemmer.stem("is")).isEqualTo("is");
    }

    /** Values computed by hand from LoCoMo's evaluation.py. */
    @Test
    void locomoScoringFollowsTheOfficialEvaluation() {
        assertThat(LocomoScoring.normalizeAnswer("The Cat, and a DOG!")).isEqualTo("cat dog");
        assertThat(LocomoScoring.f1Score("7 May 2023", "7 May 2023")).isEqualTo(1.0);
        // prediction {on, 7, may}, gold {7, may, 2023}: 2 common -> P 2/3, R 2/3
        assertThat(LocomoScoring.f1Score("on 7 May", "7 May 2023")).isCloseTo(2.0 / 3, offset(1e-12));
        // stemming: "running" and "runs" both stem to "run"
        assertThat(LocomoScoring.f1Score("running", "runs")).isEqualTo(1.0);
        // category 1 splits on commas: gold parts {painting, hiking}; best per part 1 and 0
        assertThat(LocomoScoring.score(1, "painting, swimming", "painting, hiking")).isCloseTo(0.5, offset(1e-12));
        // category 3 cuts the gold at ';'
        assertThat(LocomoScoring.score(3, "psychology", "Psychology; counseling")).isEqualTo(1.0);
        // category 5: the official check
        assertThat(LocomoScoring.score(5, "That is not mentioned in the conversation", "x")).isEqualTo(1.0);
        assertThat(LocomoScoring.score(5, "self-care is important", "x")).isEqualTo(0.0);
        assertThat(LocomoScoring.f1Score("nothing here", "x")).isZero();
    }

    /**
     * SQuAD-style token F1 (precision and recall of the multiset of shared tokens) computed by hand, on cases where
     * normalisation (lower-case, ASCII punctuation deleted, a/an/the/and dropped), Porter stemming and the category
     * cuts each change the answer.
     */
    @Test
    void locomoTokenF1ByHand() {
        // pred "She went hiking in the mountains." -> she went hiking in mountains -> stems she went hike in mountain
        // (hiking: -ing, then +e after the short stem hik); gold "hikes, mountain" -> hike mountain.
        // shared 2: P = 2/5, R = 2/2, F1 = 2 * 0.4 * 1 / 1.4 = 4/7 (0 without stemming)
        assertThat(LocomoScoring.f1Score("She went hiking in the mountains.", "hikes, mountain"))
                .isCloseTo(4.0 / 7, offset(1e-12));
        // "The dog's ball, and a bone!" -> dogs ball bone -> dog ball bone; gold "dogs ball bone" the same: F1 1
        assertThat(LocomoScoring.f1Score("The dog's ball, and a bone!", "dogs ball bone")).isEqualTo(1.0);
        // repeated tokens count once per occurrence: {red, red, car} vs {red, car, car} share red x1, car x1:
        // P = R = 2/3, F1 = 2/3
        assertThat(LocomoScoring.f1Score("red red car", "red car car")).isCloseTo(2.0 / 3, offset(1e-12));
        // category 1: gold parts beach | Paris | museums, predicted parts Paris | the beaches; best F1 per gold part:
        // beach vs "the beaches" -> beach vs beach (beaches: -s, then the final e goes after beach) = 1,
        // Paris vs Paris = 1, museums (museum) vs either = 0; mean 2/3 (1/3 without stemming)
        assertThat(LocomoScoring.score(1, "Paris, the beaches", "beach, Paris, museums")).isCloseTo(2.0 / 3,
                offset(1e-12));
        // category 3: gold cut at ';' -> "counseling certification" (2 tokens); pred she studi counsel shares counsel:
        // P = 1/3, R = 1/2, F1 = 2 * (1/6) / (5/6) = 2/5 (1/3 against the uncut gold)
        assertThat(LocomoScoring.score(3, "She studied counseling", "counseling certification; psychology"))
                .isCloseTo(0.4, offset(1e-12));
        assertThat(LocomoScoring.f1Score("She studied counseling", "counseling certification psychology"))
                .isCloseTo(1.0 / 3, offset(1e-12));
        // category 5 ignores the gold: declining to answer scores 1, anything else 0
        assertThat(LocomoScoring.score(5, "No information available.", "self-care is important")).isEqualTo(1.0);
        assertThat(LocomoScoring.score(5, "self-care is important", "self-care is important")).isEqualTo(0.0);
    }

    @Test
    void kvCacheGreedyDecodingEqualsRecomputingEverything() {
        try (Qwen3Model model = Qwen3Model.load(TestData.bundledModel())) {
            long[] prompt = {100, 200, 300, 400, 500, 600, 700};
            long[] cached = GreedyGenerator.generate(model, LayerAdapter.NONE, prompt, 12, Set.of());
            long[] plain = UncachedGreedyDecoding.generate(model, LayerAdapter.NONE, prompt, 12, Set.of());
            assertThat(cached).hasSize(12).containsExactly(plain);
            long[] stopped = GreedyGenerator.generate(model, LayerAdapter.NONE, prompt, 12, Set.of(plain[2]));
            assertThat(stopped).containsExactly(Arrays.copyOf(plain, 3));
        }
    }
}
