package org.locasbench.harness.experiment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.locasbench.harness.config.CommonConfig;
import org.locasbench.harness.config.DataPaths;
import org.locasbench.harness.config.LocomoSettings;
import org.locasbench.harness.config.Method;
import org.locasbench.harness.console.ProgressBar;
import org.locasbench.harness.data.LocomoConversation;
import org.locasbench.harness.data.LocomoDataset;
import org.locasbench.harness.generation.GreedyGenerator;
import org.locasbench.harness.method.MethodSetup;
import org.locasbench.harness.metrics.LocomoScoring;
import org.locasbench.harness.protocol.Window;
import org.locasbench.harness.ttt.StreamingProtocol;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.adapter.LayerAdapter;
import org.locasbench.model.adapter.TrainableAdapter;
import org.locasbench.results.Answer;
import org.locasbench.results.Metrics;
import org.locasbench.results.MethodInfo;
import org.locasbench.results.Result;
import org.locasbench.results.plot.ResultPlots;

/**
 * LoCoMo long-dialogue QA, top to bottom: data (dated sessions, QA) -> windows ({@code date_split}: the sessions of
 * one date form a group; windows never cross it) -> memorize (locas / lora are trained on every window with the
 * score-then-train protocol) -> answer (greedy, KV cache, from only the last {@code locomo.recentContext} tokens of the
 * dialogue plus the question; {@code long_context} instead sees {@code window.longContext} tokens) -> metrics
 * (LoCoMo's F1 per category and overall; category 5 by the official "not mentioned" check and by F1 against the
 * adversarial answer). Conversations are the work units.
 */
public final class LocomoExperiment implements Experiment<LocomoConversation, MethodSetup, Result> {
    private final CommonConfig common;
    private final LocomoSettings locomo;
    private final ObjectNode config;

    public LocomoExperiment(CommonConfig common, LocomoSettings locomo, ObjectNode config) {
        this.common = common;
        this.locomo = locomo;
        this.config = config;
    }

    @Override
    public ExperimentKind kind() {
        return ExperimentKind.LOCOMO;
    }

    @Override
    public List<LocomoConversation> units() {
        Path file = locomo.file() != null ? Path.of(locomo.file()) : DataPaths.dataDir().resolve(
                "locomo/locomo-mini.json");
        List<LocomoConversation> all = LocomoDataset.load(file);
        if (locomo.conversations() == null) {
            return all;
        }
        for (String id : locomo.conversations()) {
            if (all.stream().noneMatch(c -> c.sampleId().equals(id))) {
                throw new IllegalArgumentException("invalid config value 'locomo.conversations': " + file + " has no "
                        + "conversation '" + id + "'; it has " + all.stream().map(LocomoConversation::sampleId)
                        .toList());
            }
        }
        return all.stream().filter(x -> locomo.conversations().contains(x.sampleId())).toList();
    }

    @Override
    public List<MethodSetup> methods(Path modelDir, List<LocomoConversation> units) {
        return common.run().methods().stream().map(m -> MethodSetup.of(common, m)).toList();
    }

    /** Memorizes the dialogue (training methods), then answers its questions. */
    @Override
    public Result run(LocomoConversation conv, MethodSetup setup, ModelSession session) {
        Dialogue dialogue = tokenize(conv, session, locomo.prompt());
        String label = conv.sampleId() + " " + setup.label();
        long t0 = System.nanoTime();
        TrainableAdapter adapter = null;
        if (setup.factory() != null) {
            ProgressBar bar = new ProgressBar(System.err, label + " memorize", "sessions",
                    dialogue.sessionEnds().length, dialogue.ids().length);
            adapter = StreamingProtocol.run(session.model(), dialogue.ids(), dateSplitPlan(dialogue,
                    common.window().size(), common.window().context()), setup.factory(), setup.training(),
                    org.locasbench.harness.ttt.RunOptions.DEFAULT, setup.growth(), r -> bar.step(sessionsEndedBy(dialogue, r.end()) - bar.units(), r.end() - r.start())).adapter();
        }
        try {
            int visible = setup.method() == Method.LONG_CONTEXT ? common.window().longContext()
                    : locomo.recentContext();
            return answerAll(conv, session, dialogue, setup, adapter == null ? LayerAdapter.NONE : adapter, visible,
                    adapter == null ? 0 : adapter.parameterCount(), (System.nanoTime() - t0) / 1e9,
                    new ProgressBar(System.err, label + " answer", "questions", questionLimit(conv), 0));
        } finally {
            if (adapter != null) {
                adapter.close();
            }
        }
    }

    /**
     * The dialogue as text, one "DATE: ..." header per session; tokens grouped by calendar date; where each session's
     * tokens end (for the memorizing progress).
     */
    record Dialogue(long[] ids, List<int[]> dateGroups, int[] sessionEnds) {}

    static Dialogue tokenize(LocomoConversation conv, ModelSession session,
            org.locasbench.harness.config.LocomoSettings.PromptStyle style) {
        List<Long> ids = new ArrayList<>();
        List<int[]> groups = new ArrayList<>();
        String currentDate = null;
        int groupStart = 0;
        int[] sessionEnds = new int[conv.sessions().size()];
        for (int si = 0; si < sessionEnds.length; si++) {
            LocomoConversation.Session s = conv.sessions().get(si);
            if (!s.date().equals(currentDate)) {
                if (currentDate != null) {
                    groups.add(new int[] {groupStart, ids.size()});
                }
                currentDate = s.date();
                groupStart = ids.size();
            }
            for (long id : session.tokenizer().encode(LocomoPrompt.session(style, s))) {
                ids.add(id);
            }
            sessionEnds[si] = ids.size();
        }
        groups.add(new int[] {groupStart, ids.size()});
        return new Dialogue(ids.stream().mapToLong(Long::longValue).toArray(), groups, sessionEnds);
    }

    /** Sessions whose tokens all lie before {@code end}. */
    static int sessionsEndedBy(Dialogue d, int end) {
        int n = 0;
        while (n < d.sessionEnds().length && d.sessionEnds()[n] <= end) {
            n++;
        }
        return n;
    }

    /** date_split windows: each date group cut into windows, context reaching back into earlier groups. */
    static List<Window> dateSplitPlan(Dialogue d, int window, int context) {
        List<Window> plan = new ArrayList<>();
        for (int[] g : d.dateGroups()) {
            for (int start = g[0]; start < g[1]; start += window) {
                int end = Math.min(g[1], start + window);
                plan.add(new Window(plan.size(), Math.max(0, start - Math.max(context, 1)), start, end));
            }
        }
        return plan;
    }

    private int questionLimit(LocomoConversation conv) {
        return locomo.maxQuestions() != null ? Math.min(locomo.maxQuestions(), conv.qa().size()) : conv.qa().size();
    }

    /**
     * Answers every question (up to {@code locomo.maxQuestions}): the prompt (dialogue tail + question) runs once into
     * the KV cache, then one token per step. Records {@code seconds_per_question} and the tokens actually fed
     * ({@code answer_tokens}: prompts plus every generated token but the last).
     */
    private Result answerAll(LocomoConversation conv, ModelSession session, Dialogue dialogue, MethodSetup setup,
            LayerAdapter adapter, int visible, long paramsAdded, double trainSeconds, ProgressBar progress) {
        Qwen3Model model = session.model();
        long[] tail = Arrays.copyOfRange(dialogue.ids(), Math.max(0, dialogue.ids().length - visible),
                dialogue.ids().length);
        Set<Long> stops = new java.util.HashSet<>();
        for (long id : session.tokenizer().encode("\n")) {
            stops.add(id);
        }
        Map<String, double[]> byCategory = new LinkedHashMap<>(); // category -> {sum, count}
        double adversarialF1 = 0;
        int adversarialCount = 0;
        double overall = 0;
        int limit = questionLimit(conv);
        MethodInfo method = MethodInfo.of(setup.method().id(), setup.label(), setup.width(),
                model.directory().toString()).withContext(locomo.contextMode().id(), visible);
        Result.Builder b = Result.builder(kind().id(), Result.nameOf(kind().id(), conv.sampleId(), setup.label()),
                conv.sampleId()).method(method);
        long answerTokens = 0;
        long t0 = System.nanoTime();
        long[] header = session.tokenizer().encode(LocomoPrompt.header(locomo.prompt(), conv));
        java.util.Random optionOrder = new java.util.Random(common.run().seed()); // category 5's option order
        for (LocomoConversation.Qa qa : conv.qa().subList(0, limit)) {
            LocomoPrompt.Question q = LocomoPrompt.question(locomo.prompt(), qa, optionOrder);
            long[] question = session.tokenizer().encode(q.text());
            long[] prompt = new long[header.length + tail.length + question.length];
            System.arraycopy(header, 0, prompt, 0, header.length);
            System.arraycopy(tail, 0, prompt, header.length, tail.length);
            System.arraycopy(question, 0, prompt, header.length + tail.length, question.length);
            long[] generated = GreedyGenerator.generate(model, adapter, prompt, locomo.maxAnswerTokens(), stops);
            long fed = prompt.length + Math.max(0, generated.length - 1);
            answerTokens += fed;
            progress.step(fed);
            String prediction = LocomoPrompt.resolve(q, session.tokenizer().decode(generated).split("\n", 2)[0]
                    .strip());
            String gold = qa.category() == 5 ? (qa.answer() != null ? qa.answer() : qa.adversarialAnswer())
                    : qa.answer();
            double score = LocomoScoring.score(qa.category(), prediction, gold);
            String category = Metrics.LocomoCategories.of(qa.category());
            byCategory.computeIfAbsent(category, k -> new double[2]);
            byCategory.get(category)[0] += score;
            byCategory.get(category)[1] += 1;
            overall += score;
            Double adversarial = null;
            if (qa.category() == 5 && qa.adversarialAnswer() != null) {
                adversarial = LocomoScoring.f1Score(prediction, qa.adversarialAnswer());
                adversarialF1 += adversarial;
                adversarialCount++;
            }
            b.answer(new Answer(category, qa.question(), gold, prediction, score, adversarial));
        }
        double answerSeconds = (System.nanoTime() - t0) / 1e9;
        double sumOneToFour = 0;
        int countOneToFour = 0;
        for (var e : byCategory.entrySet()) {
            b.breakdown(Metrics.Breakdowns.F1_BY_CATEGORY, e.getKey(), e.getValue()[0] / e.getValue()[1]);
            b.breakdown(Metrics.Breakdowns.QUESTIONS_BY_CATEGORY, e.getKey(), e.getValue()[1]);
            if (!e.getKey().equals(Metrics.LocomoCategories.of(5))) {
                sumOneToFour += e.getValue()[0];
                countOneToFour += (int) e.getValue()[1];
            }
        }
        b.metric(Metrics.OVERALL_F1, overall / limit)
                .metric(Metrics.OVERALL_F1_CATEGORIES_1_TO_4, countOneToFour == 0 ? 0 : sumOneToFour / countOneToFour)
                .metric(Metrics.ADVERSARIAL_F1, adversarialCount == 0 ? 0 : adversarialF1 / adversarialCount)
                .metric(Metrics.ADVERSARIAL_NEGATIVE_F1, adversarialCount == 0 ? 0 : -adversarialF1 / adversarialCount)
                .metric(Metrics.QUESTIONS, limit).metric(Metrics.DIALOGUE_TOKENS, dialogue.ids().length)
                .metric(Metrics.PARAMS_ADDED, paramsAdded).metric(Metrics.TRAIN_SECONDS, trainSeconds)
                .metric(Metrics.ANSWER_SECONDS, answerSeconds)
                .metric("seconds_per_question", answerSeconds / limit)
                .metric("answer_tokens", answerTokens).metric("answer_tokens_per_second", answerTokens / answerSeconds)
                .metric(Metrics.WALL_SECONDS, trainSeconds + answerSeconds)
                .metric(Metrics.TOKENS_PER_SECOND, (dialogue.ids().length * (setup.method().trains() ? 1 : 0)
                        + (double) answerTokens) / (trainSeconds + answerSeconds));
        return b.environment(RunEnvironment.capture(session.device())).config(config).build();
    }

    /** Score of every question in order, one plot per conversation x method. */
    static Map<String, String> answerPlots(List<Result> results) {
        Map<String, String> plots = new LinkedHashMap<>();
        for (Result r : results) {
            plots.put(r.name() + "-answers", ResultPlots.answerScores(r).toSvg(900, 420));
        }
        return plots;
    }
}
