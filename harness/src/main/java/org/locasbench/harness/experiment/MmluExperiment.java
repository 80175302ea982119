package org.locasbench.harness.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.locasbench.harness.cli.Defaults;
import org.locasbench.harness.console.ProgressBar;
import org.locasbench.harness.data.MmluDataset;
import org.locasbench.harness.data.MmluQuestion;
import org.locasbench.harness.data.Pg19Library;
import org.locasbench.harness.protocol.WindowPlan;
import org.locasbench.harness.ttt.StreamingProtocol;
import org.locasbench.locas.DenseFusion;
import org.locasbench.locas.LocasMemory;
import org.locasbench.locas.MemoryFile;
import org.locasbench.lora.LoraAdapter;
import org.locasbench.lora.LoraMerge;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.adapter.LayerAdapter;
import org.locasbench.model.safetensors.StoredType;

/**
 * MMLU by answer NLL and the forgetting protocol, top to bottom:
 * data (subjects' test questions, dev rows as k-shot examples) -> memorize (for locas / lora: stream the forgetting
 * book through the score-then-train protocol) -> variants (base; Locas sidecar and Locas fused with to_dense; LoRA
 * merged) -> evaluate (each question scored by the NLL of " A".." D" after a k-shot prompt; lowest wins) -> metrics
 * (accuracy per subject, macro average). Subjects are the work units spread over devices.
 */
public final class MmluExperiment {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] LETTERS = {"A", "B", "C", "D"};

    private MmluExperiment() {}

    /** One evaluated model: a name and where its weights (and optional memory) are. */
    record Variant(String name, Method method, Path modelDir, Path memoryFile, long paramsAdded) {}

    public static ExperimentReport run(ExperimentConfig c, Shard shard) throws Exception {
        Path dir = c.mmluDir() != null ? Path.of(c.mmluDir()) : Defaults.dataDir().resolve("mmlu");
        TreeMap<String, List<MmluQuestion>> test = MmluDataset.load(dir, "test");
        TreeMap<String, List<MmluQuestion>> dev = MmluDataset.load(dir, "dev");
        List<String> subjects = shard.select(new ArrayList<>(c.subjects() != null ? c.subjects() : test.keySet()));
        for (String s : subjects) {
            if (!test.containsKey(s)) {
                throw new IllegalArgumentException("invalid config value 'subjects': no test file for '" + s + "'");
            }
        }
        Path modelDir = ModelSession.resolveModel(c);
        Path work = Files.createTempDirectory("mmlu-variants");
        List<Variant> variants = prepareVariants(c, modelDir, work);
        List<ObjectNode> results = new ArrayList<>();
        long questions = subjects.stream().mapToLong(s -> questionLimit(c, test.get(s))).sum();
        for (Variant v : variants) {
            // one bar over every subject of the variant; the device workers step it concurrently
            ProgressBar bar = new ProgressBar(System.err, "mmlu " + v.name(), "questions", questions, 0);
            long t0 = System.nanoTime();
            List<Map<String, Object>> perSubject = DevicePool.run(subjects, c.devices(),
                    device -> ModelSession.open(v.modelDir(), c, device),
                    (subject, session, device) -> evaluateSubject(c, session, v, test.get(subject),
                            dev.getOrDefault(subject, List.of()), bar::step));
            ObjectNode r = record(c, v, subjects, perSubject);
            ((ObjectNode) r.get("metrics")).put("elapsed_seconds", (System.nanoTime() - t0) / 1e9);
            results.add(r);
        }
        return new ExperimentReport("mmlu", results, Map.of(), table(results));
    }

    /** Trains on the forgetting book once per method and writes what the variants need (memory, fused, merged). */
    static List<Variant> prepareVariants(ExperimentConfig c, Path modelDir, Path work) throws Exception {
        List<Variant> variants = new ArrayList<>();
        long[] ids = null;
        for (Method m : c.methodList()) {
            if (m == Method.NONE || m == Method.LONG_CONTEXT) {
                variants.add(new Variant("base", Method.NONE, modelDir, null, 0));
                continue;
            }
            try (ModelSession session = ModelSession.open(modelDir, c, c.devices().get(0))) {
                if (ids == null) {
                    var library = Pg19Library.load(c.pg19Manifest() != null ? Path.of(c.pg19Manifest())
                            : Defaults.pg19Manifest());
                    ids = session.tokenizer().encode(Pg19Library.text(library.book(c.forgettingBook())));
                    if (c.maxTokens() != null && ids.length > c.maxTokens()) {
                        ids = Arrays.copyOf(ids, c.maxTokens());
                    }
                }
                MethodSetup setup = MethodSetup.of(c, m);
                Qwen3Model model = session.model();
                StreamingProtocol.Run run = StreamingProtocol.run(model, ids, WindowPlan.of(ids.length, c.window(),
                        setup.context()), setup.factory(), setup.training(), r -> { });
                if (m == Method.LOCAS) {
                    try (LocasMemory memory = (LocasMemory) run.adapter()) {
                        Path file = work.resolve("memory.safetensors");
                        MemoryFile.save(memory, file);
                        Path dense = work.resolve("locas-dense");
                        DenseFusion.toDense(model, memory, dense, StoredType.F32);
                        variants.add(new Variant("locas-sidecar", m, modelDir, file, memory.parameterCount()));
                        variants.add(new Variant("locas-dense", m, dense, null, memory.parameterCount()));
                    }
                } else {
                    try (LoraAdapter lora = (LoraAdapter) run.adapter()) {
                        Path merged = work.resolve("lora-merged");
                        LoraMerge.merge(model, lora, merged, StoredType.F32);
                        variants.add(new Variant("lora-merged", m, merged, null, lora.parameterCount()));
                    }
                }
            }
        }
        return variants;
    }

    static Map<String, Object> evaluateSubject(ExperimentConfig c, ModelSession session, Variant v,
            List<MmluQuestion> questions, List<MmluQuestion> devRows) {
        return evaluateSubject(c, session, v, questions, devRows, OptionScorer.Progress.NONE);
    }

    /**
     * One subject's questions (up to {@code questionsPerSubject}), {@code mmluBatchSize} prompts per forward when the
     * options are single tokens. Predictions come back in the questions' order; {@code tokens} counts what was fed to
     * the model (padding included), {@code prompt_tokens} the prompts alone.
     */
    static Map<String, Object> evaluateSubject(ExperimentConfig c, ModelSession session, Variant v,
            List<MmluQuestion> questions, List<MmluQuestion> devRows, OptionScorer.Progress progress) {
        Qwen3Model model = session.model();
        LocasMemory memory = v.memoryFile() == null ? null : MemoryFile.load(v.memoryFile(), model);
        try {
            LayerAdapter adapter = memory == null ? LayerAdapter.NONE : memory;
            long t0 = System.nanoTime();
            long[][] letterIds = optionIds(session);
            int limit = questionLimit(c, questions);
            List<MmluQuestion> shots = devRows.subList(0, Math.min(c.shots(), devRows.size()));
            List<long[]> prompts = new ArrayList<>();
            for (MmluQuestion q : questions.subList(0, limit)) {
                prompts.add(session.tokenizer().encode(prompt(q, shots)));
            }
            OptionScorer.Result scored = OptionScorer.score(model, adapter, prompts, letterIds, c.mmluBatchSize(),
                    c.mmluBatchTokens(), progress);
            int correct = 0;
            List<Integer> predictions = new ArrayList<>();
            for (int i = 0; i < limit; i++) {
                predictions.add(scored.predictions()[i]);
                if (scored.predictions()[i] == questions.get(i).answer()) {
                    correct++;
                }
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("subject", questions.get(0).subject());
            r.put("questions", limit);
            r.put("correct", correct);
            r.put("predictions", predictions);
            r.put("seconds", (System.nanoTime() - t0) / 1e9);
            r.put("tokens", scored.fedTokens());
            r.put("prompt_tokens", scored.promptTokens());
            r.put("forwards", scored.forwards());
            return r;
        } finally {
            if (memory != null) {
                memory.close();
            }
        }
    }

    /** The ids of " A".." D" in the session's tokenizer (one token each in Qwen3's and the bundled one). */
    static long[][] optionIds(ModelSession session) {
        long[][] ids = new long[LETTERS.length][];
        for (int i = 0; i < LETTERS.length; i++) {
            ids[i] = session.tokenizer().encode(" " + LETTERS[i]);
        }
        return ids;
    }

    static int questionLimit(ExperimentConfig c, List<MmluQuestion> questions) {
        return c.questionsPerSubject() != null ? Math.min(c.questionsPerSubject(), questions.size())
                : questions.size();
    }

    /** The hendrycks prompt: a header, k solved dev examples, then the question ending in "Answer:". */
    static String prompt(MmluQuestion q, List<MmluQuestion> shots) {
        StringBuilder sb = new StringBuilder("The following are multiple choice questions (with answers) about "
                + q.subject().replace('_', ' ') + ".\n\n");
        for (MmluQuestion s : shots) {
            sb.append(format(s)).append(' ').append(LETTERS[s.answer()]).append("\n\n");
        }
        return sb.append(format(q)).toString();
    }

    private static String format(MmluQuestion q) {
        StringBuilder sb = new StringBuilder(q.question().strip());
        for (int i = 0; i < 4; i++) {
            sb.append('\n').append(LETTERS[i]).append(". ").append(q.choices().get(i).strip());
        }
        return sb.append("\nAnswer:").toString();
    }

    /**
     * A variant's results. Throughput ({@code questions_per_second}, {@code tokens_per_second}: tokens fed, padding
     * included) is over {@code wall_seconds}, the subjects' evaluation seconds summed: per device when several run
     * subjects in parallel ({@code run} adds {@code elapsed_seconds}, the variant's wall-clock time).
     */
    static ObjectNode record(ExperimentConfig c, Variant v, List<String> subjects,
            List<Map<String, Object>> perSubject) {
        ObjectNode r = JSON.createObjectNode();
        r.put("schema_version", ResultsWriter.SCHEMA_VERSION).put("experiment", "mmlu").put("name", "mmlu-" + v.name())
                .put("unit", String.join(",", subjects));
        r.putObject("parameters").put("method", v.method().id()).put("variant", v.name())
                .put("model", v.modelDir().toString()).put("forgetting_book", v.method() == Method.NONE ? null
                        : c.forgettingBook()).put("label", v.name());
        r.set("config", JSON.valueToTree(c));
        r.set("environment", RunEnvironment.describe(c.devices().toString()));
        ObjectNode m = r.putObject("metrics");
        ObjectNode bySubject = m.putObject("accuracy_by_subject");
        double macro = 0;
        int total = 0;
        int correct = 0;
        double seconds = 0;
        long tokens = 0;
        long promptTokens = 0;
        long forwards = 0;
        ObjectNode series = r.putObject("series");
        ArrayNode predictions = series.putArray("predictions");
        ArrayNode subjectSeconds = series.putArray("subject_seconds");
        ArrayNode subjectTokens = series.putArray("subject_tokens");
        for (Map<String, Object> s : perSubject) {
            int q = (Integer) s.get("questions");
            int ok = (Integer) s.get("correct");
            bySubject.put((String) s.get("subject"), (double) ok / q);
            macro += (double) ok / q;
            total += q;
            correct += ok;
            seconds += (Double) s.get("seconds");
            tokens += (Long) s.get("tokens");
            promptTokens += (Long) s.get("prompt_tokens");
            forwards += (Integer) s.get("forwards");
            predictions.add(JSON.valueToTree(s.get("predictions")));
            subjectSeconds.add((Double) s.get("seconds"));
            subjectTokens.add((Long) s.get("tokens"));
        }
        m.put("macro_accuracy", macro / perSubject.size()).put("micro_accuracy", (double) correct / total)
                .put("questions", total).put("params_added", v.paramsAdded()).put("wall_seconds", seconds)
                .put("questions_per_second", total / seconds).put("tokens_per_second", tokens / seconds)
                .put("tokens", tokens).put("prompt_tokens", promptTokens)
                .put("padding_fraction", tokens == 0 ? 0 : 1 - (double) promptTokens / tokens)
                .put("forwards", forwards).put("batch_size", c.mmluBatchSize());
        if (c.mmluBatchTokens() != null) {
            m.put("batch_tokens", c.mmluBatchTokens());
        }
        ArrayNode subjectsNode = series.putArray("subject");
        ArrayNode accuracy = series.putArray("subject_accuracy");
        bySubject.fields().forEachRemaining(e -> {
            subjectsNode.add(e.getKey());
            accuracy.add(e.getValue().asDouble());
        });
        return r;
    }

    /** Accuracy per subject (x: subject number in the table's order) for the report. */
    public static String plot(ObjectNode result) {
        JsonNode acc = result.get("series").get("subject_accuracy");
        List<String> names = new ArrayList<>();
        result.get("series").get("subject").forEach(n -> names.add((names.size() + 1) + " " + n.asText()));
        double[] x = new double[acc.size()];
        double[] y = new double[acc.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
            y[i] = acc.get(i).asDouble();
        }
        return new CurvePlot("MMLU accuracy per subject: " + result.get("parameters").get("variant").asText(),
                "subject: " + String.join(", ", names),
                "accuracy").add(result.get("parameters").get("variant").asText(), x, y).toSvg(900, 420);
    }

    public static String table(List<ObjectNode> results) {
        StringBuilder sb = new StringBuilder(String.format("%-16s %10s %10s %10s %8s %9s%n", "variant", "macro acc",
                "micro acc", "questions", "q/s", "tok/s"));
        for (ObjectNode r : results) {
            JsonNode m = r.get("metrics");
            sb.append(String.format("%-16s %10.4f %10.4f %10d %8.2f %9.0f%n",
                    r.get("parameters").get("variant").asText(), m.get("macro_accuracy").asDouble(),
                    m.get("micro_accuracy").asDouble(), m.get("questions").asInt(),
                    m.path("questions_per_second").asDouble(Double.NaN),
                    m.path("tokens_per_second").asDouble(Double.NaN)));
        }
        return sb.toString();
    }
}
