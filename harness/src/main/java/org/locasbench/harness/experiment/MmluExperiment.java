package org.locasbench.harness.experiment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.locasbench.harness.config.CommonConfig;
import org.locasbench.harness.config.DataPaths;
import org.locasbench.harness.config.Method;
import org.locasbench.harness.config.MmluSettings;
import org.locasbench.harness.console.ProgressBar;
import org.locasbench.harness.data.MmluDataset;
import org.locasbench.harness.data.MmluQuestion;
import org.locasbench.harness.data.Pg19Library;
import org.locasbench.harness.method.MethodSetup;
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
import org.locasbench.results.Answer;
import org.locasbench.results.Metrics;
import org.locasbench.results.MethodInfo;
import org.locasbench.results.Result;
import org.locasbench.results.plot.ResultPlots;

/**
 * MMLU by answer NLL and the forgetting protocol, top to bottom: data (subjects' test questions, dev rows as k-shot
 * examples) -> memorize (locas / lora stream the forgetting book through the score-then-train protocol) -> variants
 * (base; Locas sidecar and Locas fused with to_dense; LoRA merged) -> evaluate (each question scored by the NLL of
 * " A".." D" after a k-shot prompt, lowest wins; several prompts per forward) -> metrics (accuracy per subject, macro
 * and micro). Subjects are the work units; one result per variant.
 */
public final class MmluExperiment implements Experiment<String, MmluExperiment.Variant, MmluExperiment.SubjectScore> {
    private static final String[] LETTERS = {"A", "B", "C", "D"};

    /** One evaluated model: its name, the method it came from, its weights and (sidecar) memory file. */
    public record Variant(String name, Method method, Path modelDir, Path memoryFile, long paramsAdded) {}

    /** One subject under one variant: its answers and what scoring them cost. */
    public record SubjectScore(String subject, List<Answer> answers, double seconds, long fedTokens, long promptTokens,
            int forwards, String device) {
        int correct() {
            return (int) answers.stream().filter(a -> a.score() == 1).count();
        }
    }

    private final CommonConfig common;
    private final MmluSettings mmlu;
    private final ObjectNode config;
    private final TreeMap<String, List<MmluQuestion>> test;
    private final TreeMap<String, List<MmluQuestion>> dev;
    private final Map<String, ProgressBar> bars = new ConcurrentHashMap<>();
    private Path work;

    public MmluExperiment(CommonConfig common, MmluSettings mmlu, ObjectNode config) {
        this.common = common;
        this.mmlu = mmlu;
        this.config = config;
        Path dir = mmlu.dir() != null ? Path.of(mmlu.dir()) : DataPaths.dataDir().resolve("mmlu");
        this.test = MmluDataset.load(dir, "test");
        this.dev = MmluDataset.load(dir, "dev");
    }

    @Override
    public ExperimentKind kind() {
        return ExperimentKind.MMLU;
    }

    @Override
    public List<String> units() {
        List<String> subjects = mmlu.subjects() != null ? mmlu.subjects() : new ArrayList<>(test.keySet());
        for (String s : subjects) {
            if (!test.containsKey(s)) {
                throw new IllegalArgumentException("invalid config value 'mmlu.subjects': no test file for '" + s
                        + "'; subjects found: " + test.keySet());
            }
        }
        return subjects;
    }

    /** Trains on the forgetting book once per training method and writes what the variants need. */
    @Override
    public List<Variant> methods(Path modelDir, List<String> subjects) throws Exception {
        work = Files.createTempDirectory("mmlu-variants");
        List<Variant> variants = new ArrayList<>();
        long[] ids = null;
        for (Method m : common.run().methods()) {
            if (!m.trains()) {
                if (variants.stream().noneMatch(v -> v.name().equals(Metrics.Methods.BASE_VARIANT))) {
                    variants.add(new Variant(Metrics.Methods.BASE_VARIANT, Method.NONE, modelDir, null, 0));
                }
                continue;
            }
            try (ModelSession session = ModelSession.open(modelDir, common.run(), common.run().devices().get(0))) {
                if (ids == null) {
                    ids = forgettingBook(session);
                }
                MethodSetup setup = MethodSetup.of(common, m);
                Qwen3Model model = session.model();
                StreamingProtocol.Run run = StreamingProtocol.run(model, ids, WindowPlan.of(ids.length,
                        common.window().size(), setup.context()), setup.factory(), setup.training(),
                        org.locasbench.harness.ttt.RunOptions.DEFAULT, setup.growth(), r -> { });
                if (m == Method.LOCAS) {
                    try (LocasMemory memory = (LocasMemory) run.adapter()) {
                        Path file = work.resolve("memory.safetensors");
                        MemoryFile.save(memory, file);
                        Path dense = work.resolve("locas-dense");
                        DenseFusion.toDense(model, memory, dense, StoredType.F32); // exact: sidecar == fused
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
        long questions = subjects.stream().mapToLong(s -> questionLimit(test.get(s))).sum();
        for (Variant v : variants) {
            bars.put(v.name(), new ProgressBar(System.err, "mmlu " + v.name(), "questions", questions, 0));
        }
        return variants;
    }

    private long[] forgettingBook(ModelSession session) {
        var library = Pg19Library.load(mmlu.forgettingManifest() != null ? Path.of(mmlu.forgettingManifest())
                : DataPaths.pg19Manifest());
        long[] ids = session.tokenizer().encode(Pg19Library.text(library.book(mmlu.forgettingBook())));
        return mmlu.forgettingMaxTokens() != null && ids.length > mmlu.forgettingMaxTokens()
                ? Arrays.copyOf(ids, mmlu.forgettingMaxTokens()) : ids;
    }

    @Override
    public Path modelFor(Variant variant, Path modelDir) {
        return variant.modelDir();
    }

    /**
     * One subject's questions (up to {@code mmlu.questionsPerSubject}), {@code mmlu.batchSize} prompts per forward
     * when the options are single tokens.
     */
    @Override
    public SubjectScore run(String subject, Variant v, ModelSession session) {
        Qwen3Model model = session.model();
        List<MmluQuestion> questions = test.get(subject);
        List<MmluQuestion> devRows = dev.getOrDefault(subject, List.of());
        LocasMemory memory = v.memoryFile() == null ? null : MemoryFile.load(v.memoryFile(), model);
        try {
            LayerAdapter adapter = memory == null ? LayerAdapter.NONE : memory;
            long t0 = System.nanoTime();
            int limit = questionLimit(questions);
            List<MmluQuestion> shots = devRows.subList(0, Math.min(mmlu.shots(), devRows.size()));
            List<long[]> prompts = new ArrayList<>();
            for (MmluQuestion q : questions.subList(0, limit)) {
                prompts.add(session.tokenizer().encode(prompt(q, shots)));
            }
            ProgressBar bar = bars.get(v.name());
            OptionScorer.Progress progress = bar == null ? OptionScorer.Progress.NONE : bar::step;
            long[][] options = optionIds(session);
            long[] prefix = mmlu.sharePrefix() ? session.tokenizer().encode(prefix(subject, shots)) : null;
            List<long[]> suffixes = prefix != null ? suffixesAfter(prefix, prompts) : null;
            OptionScorer.Scores scored = suffixes != null && OptionScorer.singleTokenIds(options) != null
                    ? OptionScorer.scoreSharedPrefix(model, adapter, prefix, suffixes, options, mmlu.batchSize(),
                            mmlu.batchTokens(), progress)
                    : OptionScorer.score(model, adapter, prompts, options, mmlu.batchSize(), mmlu.batchTokens(),
                            progress);
            List<Answer> answers = new ArrayList<>();
            for (int i = 0; i < limit; i++) {
                MmluQuestion q = questions.get(i);
                int p = scored.predictions()[i];
                answers.add(Answer.of(subject, q.question(), LETTERS[q.answer()], LETTERS[p], p == q.answer() ? 1 : 0));
            }
            return new SubjectScore(subject, answers, (System.nanoTime() - t0) / 1e9, scored.fedTokens(),
                    scored.promptTokens(), scored.forwards(), session.device());
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

    private int questionLimit(List<MmluQuestion> questions) {
        return mmlu.questionsPerSubject() != null ? Math.min(mmlu.questionsPerSubject(), questions.size())
                : questions.size();
    }

    /** The hendrycks prompt: a header, k solved dev examples, then the question ending in "Answer:". */
    static String prompt(MmluQuestion q, List<MmluQuestion> shots) {
        return prefix(q.subject(), shots) + format(q);
    }

    /** What every prompt of a subject starts with: the header and the solved dev examples. */
    static String prefix(String subject, List<MmluQuestion> shots) {
        StringBuilder sb = new StringBuilder("The following are multiple choice questions (with answers) about "
                + subject.replace('_', ' ') + ".\n\n");
        for (MmluQuestion s : shots) {
            sb.append(format(s)).append(' ').append(LETTERS[s.answer()]).append("\n\n");
        }
        return sb.toString();
    }

    /**
     * Each prompt's ids after {@code prefix}, or null when some prompt's tokenization does not start with the prefix's
     * own (a merge across the boundary): then the prompts run whole, so the ids scored are always the prompt's own.
     */
    static List<long[]> suffixesAfter(long[] prefix, List<long[]> prompts) {
        List<long[]> suffixes = new ArrayList<>();
        for (long[] p : prompts) {
            if (prefix.length == 0 || p.length <= prefix.length
                    || !Arrays.equals(p, 0, prefix.length, prefix, 0, prefix.length)) {
                return null;
            }
            suffixes.add(Arrays.copyOfRange(p, prefix.length, p.length));
        }
        return suffixes;
    }

    private static String format(MmluQuestion q) {
        StringBuilder sb = new StringBuilder(q.question().strip());
        for (int i = 0; i < 4; i++) {
            sb.append('\n').append(LETTERS[i]).append(". ").append(q.choices().get(i).strip());
        }
        return sb.append("\nAnswer:").toString();
    }

    /**
     * A variant's result. Throughput ({@code questions_per_second}, {@code tokens_per_second}: tokens fed, padding
     * included) is over {@code wall_seconds}, the subjects' evaluation seconds summed (per device when several run
     * subjects in parallel).
     */
    @Override
    public List<Result> results(Variant v, List<String> subjects, List<SubjectScore> scores) {
        MethodInfo method = MethodInfo.of(v.method().id(), v.name(), 0, v.modelDir().toString()).withVariant(v.name());
        if (v.method().trains()) {
            method = method.withForgettingBook(mmlu.forgettingBook());
        }
        Result.Builder b = Result.builder(kind().id(), Result.nameOf(kind().id(), v.name()), String.join(",",
                subjects)).method(method);
        double macro = 0;
        int total = 0;
        int correct = 0;
        double seconds = 0;
        long fed = 0;
        long prompt = 0;
        long forwards = 0;
        for (SubjectScore s : scores) {
            int q = s.answers().size();
            b.breakdown(Metrics.Breakdowns.ACCURACY_BY_SUBJECT, s.subject(), (double) s.correct() / q);
            b.breakdown(Metrics.Breakdowns.QUESTIONS_BY_SUBJECT, s.subject(), q);
            macro += (double) s.correct() / q;
            total += q;
            correct += s.correct();
            seconds += s.seconds();
            fed += s.fedTokens();
            prompt += s.promptTokens();
            forwards += s.forwards();
            s.answers().forEach(b::answer);
        }
        b.metric(Metrics.MACRO_ACCURACY, macro / scores.size()).metric(Metrics.MICRO_ACCURACY, (double) correct / total)
                .metric(Metrics.QUESTIONS, total).metric(Metrics.PARAMS_ADDED, v.paramsAdded())
                .metric(Metrics.WALL_SECONDS, seconds).metric(Metrics.QUESTIONS_PER_SECOND, total / seconds)
                .metric(Metrics.TOKENS_PER_SECOND, fed / seconds).metric(Metrics.TOKENS, fed)
                .metric("prompt_tokens", prompt).metric("padding_fraction", fed == 0 ? 0 : 1 - (double) prompt / fed)
                .metric("forwards", forwards).metric("batch_size", mmlu.batchSize());
        return List.of(b.environment(RunEnvironment.capture(common.run().devices().toString())).config(config)
                .build());
    }

    @Override
    public void cleanUp() throws Exception {
        if (work != null) {
            try (var walk = Files.walk(work)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Accuracy per subject, one plot per variant. */
    static Map<String, String> subjectPlots(List<Result> results) {
        Map<String, String> plots = new LinkedHashMap<>();
        for (Result r : results) {
            plots.put(r.name() + "-subjects", ResultPlots.subjectAccuracy(r).toSvg(900, 420));
        }
        return plots;
    }
}
