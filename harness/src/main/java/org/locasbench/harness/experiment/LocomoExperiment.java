package org.locasbench.harness.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.locasbench.harness.cli.Defaults;
import org.locasbench.harness.console.ProgressBar;
import org.locasbench.harness.data.LocomoConversation;
import org.locasbench.harness.data.LocomoDataset;
import org.locasbench.harness.generation.GreedyGenerator;
import org.locasbench.harness.metrics.LocomoScoring;
import org.locasbench.harness.protocol.Window;
import org.locasbench.harness.ttt.StreamingProtocol;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.adapter.LayerAdapter;
import org.locasbench.model.adapter.TrainableAdapter;

/**
 * LoCoMo long-dialogue QA, top to bottom: data (dated sessions, QA) -> windows (context mode {@code date_split}:
 * the sessions of one date form a group; windows never cross a group) -> memorize (locas / lora are trained on every
 * window with the score-then-train protocol) -> answer (greedy, KV cache, from only the last {@code recentContext}
 * tokens of the dialogue plus the question; {@code long_context} instead sees up to {@code longContext} tokens) ->
 * metrics (LoCoMo's F1 per category and overall; category 5 by the official "not mentioned" check and by F1 against
 * the adversarial answer). Conversations are the work units spread over devices.
 */
public final class LocomoExperiment {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final Map<Integer, String> CATEGORIES = Map.of(1, "multi_hop", 2, "temporal", 3, "open_domain",
            4, "single_hop", 5, "adversarial");

    private LocomoExperiment() {}

    public static ExperimentReport run(ExperimentConfig c, Shard shard) throws Exception {
        Path file = c.locomoFile() != null ? Path.of(c.locomoFile()) : Defaults.dataDir().resolve(
                "locomo/locomo-mini.json");
        List<LocomoConversation> all = LocomoDataset.load(file);
        List<LocomoConversation> chosen = c.conversations() == null ? all
                : all.stream().filter(x -> c.conversations().contains(x.sampleId())).toList();
        List<LocomoConversation> units = shard.select(chosen);
        Path modelDir = ModelSession.resolveModel(c);
        List<List<ObjectNode>> perConversation = DevicePool.run(units, c.devices(),
                device -> ModelSession.open(modelDir, c, device), (conv, session, device) -> runConversation(c,
                        conv, session, (units.indexOf(conv) + 1) + "/" + units.size()));
        List<ObjectNode> results = perConversation.stream().flatMap(List::stream).toList();
        return new ExperimentReport("locomo", results, Map.of(), table(results));
    }

    /**
     * The dialogue as text, one "DATE: ..." header per session; tokens grouped by calendar date; where each session's
     * tokens end (for the memorizing progress).
     */
    record Dialogue(long[] ids, List<int[]> dateGroups, int[] sessionEnds) {}

    static Dialogue tokenize(LocomoConversation conv, ModelSession session) {
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
            StringBuilder text = new StringBuilder("DATE: ").append(s.dateTime()).append('\n');
            for (LocomoConversation.Turn t : s.turns()) {
                text.append(t.speaker()).append(": ").append(t.text()).append('\n');
            }
            text.append('\n');
            for (long id : session.tokenizer().encode(text.toString())) {
                ids.add(id);
            }
            sessionEnds[si] = ids.size();
        }
        groups.add(new int[] {groupStart, ids.size()});
        return new Dialogue(ids.stream().mapToLong(Long::longValue).toArray(), groups, sessionEnds);
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

    static List<ObjectNode> runConversation(ExperimentConfig c, LocomoConversation conv, ModelSession session) {
        return runConversation(c, conv, session, "1/1");
    }

    /**
     * Every method on one conversation; progress on stderr: sessions memorized (locas / lora), then questions answered,
     * per method, labelled with the conversation's place {@code position} ("2/10") among the run's.
     */
    static List<ObjectNode> runConversation(ExperimentConfig c, LocomoConversation conv, ModelSession session,
            String position) {
        Dialogue dialogue = tokenize(conv, session);
        Qwen3Model model = session.model();
        List<ObjectNode> out = new ArrayList<>();
        for (Method m : c.methodList()) {
            MethodSetup setup = MethodSetup.of(c, m);
            String label = conv.sampleId() + " (" + position + ") " + setup.label();
            long t0 = System.nanoTime();
            TrainableAdapter adapter = null;
            if (setup.factory() != null) {
                if (!c.contextMode().equals("date_split")) {
                    throw new IllegalArgumentException("invalid config value 'contextMode': '" + c.contextMode()
                            + "' (supported: date_split)");
                }
                ProgressBar bar = new ProgressBar(System.err, label + " memorize", "sessions",
                        dialogue.sessionEnds().length, dialogue.ids().length);
                adapter = StreamingProtocol.run(model, dialogue.ids(), dateSplitPlan(dialogue, c.window(),
                        c.context()), setup.factory(), setup.training(), r -> bar.step(
                                sessionsEndedBy(dialogue, r.end()) - bar.units(), r.end() - r.start())).adapter();
            }
            try {
                int visible = m == Method.LONG_CONTEXT ? c.longContext() : c.recentContext();
                out.add(answerAll(c, conv, session, dialogue, setup, adapter == null ? LayerAdapter.NONE : adapter,
                        visible, adapter == null ? 0 : adapter.parameterCount(), (System.nanoTime() - t0) / 1e9,
                        new ProgressBar(System.err, label + " answer", "questions", questionLimit(c, conv), 0)));
            } finally {
                if (adapter != null) {
                    adapter.close();
                }
            }
        }
        return out;
    }

    /** Sessions whose tokens all lie before {@code end}. */
    static int sessionsEndedBy(Dialogue d, int end) {
        int n = 0;
        while (n < d.sessionEnds().length && d.sessionEnds()[n] <= end) {
            n++;
        }
        return n;
    }

    static int questionLimit(ExperimentConfig c, LocomoConversation conv) {
        return c.maxQuestions() != null ? Math.min(c.maxQuestions(), conv.qa().size()) : conv.qa().size();
    }

    /**
     * Answers every question (up to {@code maxQuestions}): the prompt (dialogue tail + question) runs once into the
     * KV cache, then one token per step. Records {@code seconds_per_question} (answering time / questions) and the
     * tokens actually fed ({@code answer_tokens}: prompts plus every generated token but the last).
     */
    static ObjectNode answerAll(ExperimentConfig c, LocomoConversation conv, ModelSession session, Dialogue dialogue,
            MethodSetup setup, LayerAdapter adapter, int visible, long paramsAdded, double trainSeconds,
            ProgressBar progress) {
        Qwen3Model model = session.model();
        long[] tail = Arrays.copyOfRange(dialogue.ids(), Math.max(0, dialogue.ids().length - visible),
                dialogue.ids().length);
        Set<Long> stops = new java.util.HashSet<>();
        for (long id : session.tokenizer().encode("\n")) {
            stops.add(id);
        }
        Map<Integer, double[]> byCategory = new LinkedHashMap<>(); // category -> {sum, count}
        double adversarialF1 = 0;
        int adversarialCount = 0;
        double overall = 0;
        int limit = questionLimit(c, conv);
        ObjectNode r = JSON.createObjectNode();
        ArrayNode answers = JSON.createArrayNode();
        long answerTokens = 0;
        long t0 = System.nanoTime();
        for (LocomoConversation.Qa qa : conv.qa().subList(0, limit)) {
            long[] question = session.tokenizer().encode("Question: " + qa.question() + "\nShort answer:");
            long[] prompt = Arrays.copyOf(tail, tail.length + question.length);
            System.arraycopy(question, 0, prompt, tail.length, question.length);
            long[] generated = GreedyGenerator.generate(model, adapter, prompt, c.maxAnswerTokens(), stops);
            long fed = prompt.length + Math.max(0, generated.length - 1);
            answerTokens += fed;
            progress.step(fed);
            String prediction = session.tokenizer().decode(generated).split("\n", 2)[0].strip();
            String gold = qa.category() == 5 ? (qa.answer() != null ? qa.answer() : qa.adversarialAnswer())
                    : qa.answer();
            double score = LocomoScoring.score(qa.category(), prediction, gold);
            byCategory.computeIfAbsent(qa.category(), k -> new double[2]);
            byCategory.get(qa.category())[0] += score;
            byCategory.get(qa.category())[1] += 1;
            overall += score;
            ObjectNode a = answers.addObject().put("question", qa.question()).put("category", qa.category())
                    .put("gold", gold).put("prediction", prediction).put("score", score);
            if (qa.category() == 5 && qa.adversarialAnswer() != null) {
                double f = LocomoScoring.f1Score(prediction, qa.adversarialAnswer());
                adversarialF1 += f;
                adversarialCount++;
                a.put("adversarial_f1", f);
            }
        }
        double answerSeconds = (System.nanoTime() - t0) / 1e9;
        r.put("schema_version", ResultsWriter.SCHEMA_VERSION).put("experiment", "locomo")
                .put("name", "locomo-" + conv.sampleId() + "-" + setup.label().replaceAll("[^A-Za-z0-9_.-]+", "-")
                        .replaceAll("-+$", ""))
                .put("unit", conv.sampleId());
        r.putObject("parameters").put("method", setup.method().id()).put("width", setup.method().trains()
                ? setup.width() : 0).put("context_mode", c.contextMode()).put("visible_tokens", visible)
                .put("model", model.directory().toString()).put("label", setup.label());
        r.set("config", JSON.valueToTree(c));
        r.set("environment", RunEnvironment.describe(session.device()));
        ObjectNode m = r.putObject("metrics");
        ObjectNode f1 = m.putObject("f1_by_category");
        double sumOneToFour = 0;
        int countOneToFour = 0;
        for (var e : byCategory.entrySet()) {
            f1.put(CATEGORIES.get(e.getKey()), e.getValue()[0] / e.getValue()[1]);
            if (e.getKey() != 5) {
                sumOneToFour += e.getValue()[0];
                countOneToFour += (int) e.getValue()[1];
            }
        }
        m.put("overall_f1", overall / limit).put("overall_f1_categories_1_to_4", countOneToFour == 0 ? 0
                : sumOneToFour / countOneToFour).put("adversarial_f1", adversarialCount == 0 ? 0
                : adversarialF1 / adversarialCount).put("adversarial_negative_f1", adversarialCount == 0 ? 0
                : -adversarialF1 / adversarialCount).put("questions", limit).put("dialogue_tokens",
                dialogue.ids().length).put("params_added", paramsAdded).put("train_seconds", trainSeconds)
                .put("answer_seconds", answerSeconds)
                .put("seconds_per_question", limit == 0 ? 0 : answerSeconds / limit)
                .put("answer_tokens", answerTokens).put("answer_tokens_per_second", answerTokens / answerSeconds)
                .put("wall_seconds", trainSeconds + answerSeconds)
                .put("tokens_per_second", (dialogue.ids().length * (setup.method().trains() ? 1 : 0)
                        + (double) limit * (visible + c.maxAnswerTokens())) / (trainSeconds + answerSeconds));
        r.putObject("series").set("answers", answers);
        return r;
    }

    /** Score of every question in order, for the report. */
    public static String plot(ObjectNode result) {
        JsonNode answers = result.get("series").get("answers");
        double[] x = new double[answers.size()];
        double[] y = new double[answers.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
            y[i] = answers.get(i).get("score").asDouble();
        }
        String label = result.get("parameters").get("label").asText();
        return new CurvePlot("LoCoMo " + result.get("unit").asText() + ": score per question, " + label,
                "question", "LoCoMo score (F1 / adversarial check)").add(label, x, y).toSvg(900, 420);
    }

    public static String table(List<ObjectNode> results) {
        StringBuilder sb = new StringBuilder(String.format("%-8s %-24s %8s %8s %8s %8s %8s %8s %9s%n", "conv",
                "method", "overall", "multi", "temporal", "open", "single", "adv", "advF1"));
        for (ObjectNode r : results) {
            JsonNode m = r.get("metrics");
            JsonNode f = m.get("f1_by_category");
            sb.append(String.format("%-8s %-24s %8.4f %8s %8s %8s %8s %8s %9.4f%n", r.get("unit").asText(),
                    r.get("parameters").get("label").asText(), m.get("overall_f1").asDouble(), fmt(f, "multi_hop"),
                    fmt(f, "temporal"), fmt(f, "open_domain"), fmt(f, "single_hop"), fmt(f, "adversarial"),
                    m.get("adversarial_f1").asDouble()));
        }
        return sb.toString();
    }

    private static String fmt(JsonNode f, String key) {
        return f.has(key) ? String.format("%.4f", f.get(key).asDouble()) : "-";
    }
}
