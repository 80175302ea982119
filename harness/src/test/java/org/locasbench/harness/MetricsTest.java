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
