package org.locasbench.reports;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.locasbench.results.Answer;
import org.locasbench.results.Environment;
import org.locasbench.results.MethodInfo;
import org.locasbench.results.Metrics;
import org.locasbench.results.Metrics.Breakdowns;
import org.locasbench.results.Metrics.Experiments;
import org.locasbench.results.Metrics.Series;
import org.locasbench.results.MmluCategories;
import org.locasbench.results.Result;
import org.locasbench.results.ResultFiles;

/**
 * Synthetic but realistically shaped results of every experiment at real scale (Qwen3-1.7B-Base on a PG-19 book of
 * 64 windows of 1,024 tokens, the 8-run ablation, all 57 MMLU subjects with their real test sizes, two LoCoMo
 * conversations), at several commits, for the screenshots of the comparison page. Deterministic (seeded). Not
 * measurements: the shapes follow the paper's qualitative picture (memory methods lower the NLL of later windows,
 * merging costs a little MMLU accuracy), the numbers are made up.
 */
final class ReportFixtures {
    static final String MODEL = "Qwen/Qwen3-1.7B-Base";
    static final Environment.Hardware H200 = new Environment.Hardware("gpu:0", 16, "Linux 6.8.0-60-generic", "amd64",
            65536);

    /** The MMLU test questions per subject (cais/mmlu, 14,042 in all). */
    static final Map<String, Integer> MMLU_QUESTIONS = mmluQuestions();

    private ReportFixtures() {}

    static String commit(int i) {
        String[] c = {"3f2a9c1", "8b41d07", "c92e5f3", "17ad4b9", "e05c6a2", "5d9f310", "a7c3e88", "0be4d5f"};
        return (c[i] + "9d1e4f0a2b6c8d0e1f3a5b7c9d1e3f5a7b").substring(0, 40);
    }

    static String date(int i) {
        return String.format("2026-01-%02dT%02d:14:00Z", 12 + 2 * i, 6 + i % 3);
    }

    /**
     * Every result as commit {@code i} (0..7) would have produced it: the memory methods drift a little from commit
     * to commit; at {@code regressedAt}, Locas learns a quarter less on PG-19 (a planted PPL regression).
     */
    static List<Result> run(int i, int regressedAt) {
        Random drift = new Random(1000 + i);
        List<Result> out = new ArrayList<>();
        out.addAll(pg19(i, drift, i == regressedAt));
        out.addAll(ablation(i, drift));
        out.addAll(mmlu(i, drift));
        out.addAll(locomo(i, drift));
        return out;
    }

    private static Environment env(int i) {
        Map<String, String> libs = new LinkedHashMap<>();
        libs.put("java", "17.0.15");
        libs.put("djl", "0.35.1");
        libs.put("engine", "PyTorch 2.7.1");
        libs.put("jackson", "2.22.4");
        return new Environment(commit(i), date(i), H200, libs);
    }

    private static ObjectNode config(String experiment) {
        ObjectNode c = ResultFiles.MAPPER.createObjectNode();
        c.putObject("run").put("model", MODEL).put("precision", "bf16").put("seed", 0).putArray("devices")
                .add("gpu:0");
        c.putObject("window").put("size", 1024).put("context", 1024).put("longContext", 4096);
        c.putObject("locas").put("width", 64).put("init", "highest").put("lr", 0.01);
        c.putObject("lora").put("rank", 16).put("alpha", 16).put("lr", 0.001);
        c.putObject(experiment).put("experiment", experiment);
        return c;
    }

    /** The book's difficulty per window, in nats: the same text for every method and commit. */
    private static double[] book(int windows, long seed, double variation) {
        Random r = new Random(seed);
        double[] b = new double[windows];
        for (int k = 0; k < windows; k++) {
            b[k] = 2.46 + 2 * variation * Math.sin(k / 5.0) + variation * r.nextGaussian();
        }
        return b;
    }

    /** {@code book} lowered by a memory that learns {@code gain} nats with time constant {@code tau} windows. */
    private static List<Double> learning(double[] book, double gain, double tau) {
        List<Double> nll = new ArrayList<>();
        for (int k = 0; k < book.length; k++) {
            nll.add(book[k] - gain * (1 - Math.exp(-k / tau)));
        }
        return nll;
    }

    private static Result streaming(String experiment, String book, MethodInfo method, List<Double> nll,
            double tokensPerSecond, long params, int commit, boolean trains) {
        int window = 1024;
        Result.Builder b = Result.builder(experiment, Result.nameOf(experiment, book, method.label()), book)
                .method(method);
        double nats = 0;
        double perWindowPpl = 0;
        List<Double> ends = new ArrayList<>();
        List<Double> loss = new ArrayList<>();
        Map<Integer, Double> marks = new LinkedHashMap<>();
        int quarter = nll.size() / 4;
        for (int k = 0; k < nll.size(); k++) {
            nats += nll.get(k) * window;
            perWindowPpl += Math.exp(nll.get(k));
            ends.add((double) (k + 1) * window);
            loss.add(trains ? nll.get(k) - 0.04 : null);
            if ((k + 1) % quarter == 0) {
                marks.put((k + 1) * window, Math.exp(nats / ((k + 1) * window)));
            }
        }
        double tokens = nll.size() * (double) window;
        double wall = tokens / tokensPerSecond;
        b.metric(Metrics.PPL, Math.exp(nats / tokens)).metric(Metrics.MEAN_NLL, nats / tokens)
                .metric(Metrics.TEMP_LORA_PPL, perWindowPpl / nll.size()).metric(Metrics.PARAMS_ADDED, params)
                .metric(Metrics.PARAMS_ADDED_PERCENT, 100.0 * params / 1.72e9).metric(Metrics.WALL_SECONDS, wall)
                .metric(Metrics.TOKENS_PER_SECOND, tokensPerSecond).metric(Metrics.TOKENS, tokens)
                .metric(Metrics.WINDOWS, nll.size()).metric(Metrics.FLOPS_ESTIMATE, 2 * 1.72e9 * tokens * 3)
                .metric(Metrics.NLL_AFTER_1_WINDOWS, nll.get(1)).metric(Metrics.NLL_AFTER_2_WINDOWS, nll.get(2))
                .metric(Metrics.NLL_AFTER_4_WINDOWS, nll.get(4))
                .breakdown(Breakdowns.PPL_AT, marks)
                .series(Series.WINDOW_END, ends).series(Series.WINDOW_NLL, nll).series(Series.TRAIN_LOSS, loss)
                .environment(env(commit)).config(config(experiment));
        return b.build();
    }

    private static List<Result> pg19(int i, Random drift, boolean regressed) {
        double[] book = book(64, 10146, 0.055);
        double locasGain = (0.17 + 0.004 * drift.nextGaussian()) * (regressed ? 0.75 : 1);
        double loraGain = 0.11 + 0.004 * drift.nextGaussian();
        double speed = 1 + 0.03 * drift.nextGaussian();
        List<Result> out = new ArrayList<>();
        out.add(streaming(Experiments.PG19, "10146", MethodInfo.of("none", "none", 0, MODEL),
                learning(book, 0, 1), 9100 * speed, 0, i, false));
        out.add(streaming(Experiments.PG19, "10146", MethodInfo.of("long_context", "long_context[4096]", 0, MODEL),
                learning(book, 0.07, 2.5), 6900 * speed, 0, i, false));
        out.add(streaming(Experiments.PG19, "10146", MethodInfo.of("locas", "locas[highest,r=64]", 64, MODEL)
                .withInit("highest"), learning(book, locasGain, 11), 2650 * speed, 7_340_032, i, true));
        out.add(streaming(Experiments.PG19, "10146", MethodInfo.of("lora", "lora[r=16]", 16, MODEL),
                learning(book, loraGain, 16), 2150 * speed, 3_670_016, i, true));
        return withWallRelative(out);
    }

    private static List<Result> withWallRelative(List<Result> results) {
        double none = results.get(0).requireMetric(Metrics.WALL_SECONDS);
        return results.stream().map(r -> r.withMetric(Metrics.WALL_RELATIVE_TO_NONE,
                r.requireMetric(Metrics.WALL_SECONDS) / none)).toList();
    }

    private static List<Result> ablation(int i, Random drift) {
        double[] book = book(32, 10146, 0.015);
        List<Result> out = new ArrayList<>();
        String[] inits = {"highest", "lowest", "random", "random_index"};
        double[] gains = {0.22, 0.07, 0.13, 0.17};
        for (int w : new int[] {16, 64}) {
            for (int k = 0; k < inits.length; k++) {
                double gain = gains[k] * (w == 64 ? 1.1 : 1) + 0.003 * drift.nextGaussian();
                out.add(streaming(Experiments.ABLATION, "10146", MethodInfo.of("locas", "locas[" + inits[k] + ",r="
                        + w + "]", w, MODEL).withInit(inits[k]), learning(book, gain, 4 + 2 * k), 2700, w * 114_688L,
                        i, true));
            }
        }
        return out;
    }

    private static List<Result> mmlu(int i, Random drift) {
        Random subjects = new Random(57);
        Map<String, Double> base = new LinkedHashMap<>();
        Map<String, Double> level = Map.of(MmluCategories.STEM, 0.47, MmluCategories.HUMANITIES, 0.50,
                MmluCategories.SOCIAL_SCIENCES, 0.62, MmluCategories.OTHER, 0.58);
        MMLU_QUESTIONS.keySet().forEach(s -> base.put(s, level.get(MmluCategories.groupOf(s))
                + 0.07 * subjects.nextGaussian()));
        List<Result> out = new ArrayList<>();
        String[][] variants = {{"none", "base", "0"}, {"locas", "locas-sidecar", "-0.004"},
            {"locas", "locas-dense", "-0.006"}, {"lora", "lora-merged", "-0.021"}};
        String unit = String.join(",", MMLU_QUESTIONS.keySet());
        for (String[] v : variants) {
            Random noise = new Random(v[1].hashCode());
            Result.Builder b = Result.builder(Experiments.MMLU, Result.nameOf("mmlu", v[1]), unit)
                    .method(MethodInfo.of(v[0], v[1], v[0].equals("none") ? 0 : 64, "Qwen/Qwen3-0.6B-Base")
                            .withVariant(v[1]).withForgettingBook(v[0].equals("none") ? null : "10146"));
            double shift = Double.parseDouble(v[2]) + (v[0].equals("none") ? 0 : 0.002 * drift.nextGaussian());
            int correct = 0;
            int total = 0;
            double macro = 0;
            for (Map.Entry<String, Integer> s : MMLU_QUESTIONS.entrySet()) {
                int n = s.getValue();
                double p = base.get(s.getKey()) + shift + (v[0].equals("none") ? 0 : 0.012 * noise.nextGaussian());
                int k = (int) Math.round(Math.max(0.2, Math.min(0.9, p)) * n);
                b.breakdown(Breakdowns.ACCURACY_BY_SUBJECT, s.getKey(), (double) k / n);
                b.breakdown(Breakdowns.QUESTIONS_BY_SUBJECT, s.getKey(), n);
                correct += k;
                total += n;
                macro += (double) k / n;
            }
            double seconds = total / 38.0;
            b.metric(Metrics.MACRO_ACCURACY, macro / MMLU_QUESTIONS.size())
                    .metric(Metrics.MICRO_ACCURACY, (double) correct / total).metric(Metrics.QUESTIONS, total)
                    .metric(Metrics.PARAMS_ADDED, v[0].equals("none") ? 0 : v[0].equals("lora") ? 2_293_760 : 3_670_016)
                    .metric(Metrics.WALL_SECONDS, seconds).metric(Metrics.QUESTIONS_PER_SECOND, total / seconds)
                    .metric(Metrics.TOKENS_PER_SECOND, 38.0 * 610)
                    .environment(env(i)).config(config(Experiments.MMLU));
            out.add(b.build());
        }
        return out;
    }

    private static List<Result> locomo(int i, Random drift) {
        String[][] methods = {{"none", "none", "0"}, {"long_context", "long_context[4096]", "0"},
            {"locas", "locas[highest,r=64]", "64"}, {"lora", "lora[r=16]", "16"}};
        double[][] f1 = { // multi_hop, temporal, open_domain, single_hop, adversarial
            {0.12, 0.09, 0.08, 0.21, 0.31}, {0.17, 0.15, 0.10, 0.30, 0.27}, {0.19, 0.16, 0.11, 0.33, 0.29},
            {0.16, 0.12, 0.10, 0.27, 0.28}};
        Map<String, int[]> questions = Map.of("conv-26", new int[] {32, 37, 13, 70, 47}, "conv-30",
                new int[] {11, 26, 4, 40, 24});
        List<Result> out = new ArrayList<>();
        for (String conv : List.of("conv-26", "conv-30")) {
            Random r = new Random(conv.hashCode());
            int[] n = questions.get(conv);
            for (int m = 0; m < methods.length; m++) {
                Result.Builder b = Result.builder(Experiments.LOCOMO, Result.nameOf("locomo", conv, methods[m][1]),
                        conv).method(MethodInfo.of(methods[m][0], methods[m][1], Integer.parseInt(methods[m][2]),
                                MODEL).withContext("date_split", methods[m][0].equals("long_context") ? 4096 : 1024));
                double sum = 0;
                int total = 0;
                for (int c = 0; c < 5; c++) {
                    double v = Math.max(0, f1[m][c] + 0.02 * r.nextGaussian()
                            + (m >= 2 ? 0.005 * drift.nextGaussian() : 0));
                    String name = Metrics.LocomoCategories.NAMES.get(c);
                    b.breakdown(Breakdowns.F1_BY_CATEGORY, name, v).breakdown(Breakdowns.QUESTIONS_BY_CATEGORY,
                            name, n[c]);
                    sum += v * n[c];
                    total += n[c];
                }
                double train = m >= 2 ? 310 + 20 * r.nextDouble() : 0;
                double answer = total * 0.42;
                b.metric(Metrics.OVERALL_F1, sum / total).metric(Metrics.QUESTIONS, total)
                        .metric(Metrics.ADVERSARIAL_F1, 0.05 + 0.02 * m).metric(Metrics.PARAMS_ADDED,
                                m == 2 ? 7_340_032 : m == 3 ? 3_670_016 : 0)
                        .metric(Metrics.TRAIN_SECONDS, train).metric(Metrics.ANSWER_SECONDS, answer)
                        .metric(Metrics.WALL_SECONDS, train + answer)
                        .metric(Metrics.TOKENS_PER_SECOND, m >= 2 ? 26_000 / train : 0)
                        .answer(Answer.of("single_hop", "What did Caroline research?", "adoption agencies",
                                "adoption agencies", 1.0))
                        .environment(env(i)).config(config(Experiments.LOCOMO));
                out.add(b.build());
            }
        }
        return out;
    }

    private static Map<String, Integer> mmluQuestions() {
        String counts = "abstract_algebra=100, anatomy=135, astronomy=152, business_ethics=100, "
                + "clinical_knowledge=265, college_biology=144, college_chemistry=100, college_computer_science=100, "
                + "college_mathematics=100, college_medicine=173, college_physics=102, computer_security=100, "
                + "conceptual_physics=235, econometrics=114, electrical_engineering=145, elementary_mathematics=378, "
                + "formal_logic=126, global_facts=100, high_school_biology=310, high_school_chemistry=203, "
                + "high_school_computer_science=100, high_school_european_history=165, high_school_geography=198, "
                + "high_school_government_and_politics=193, high_school_macroeconomics=390, "
                + "high_school_mathematics=270, high_school_microeconomics=238, high_school_physics=151, "
                + "high_school_psychology=545, high_school_statistics=216, high_school_us_history=204, "
                + "high_school_world_history=237, human_aging=223, human_sexuality=131, international_law=121, "
                + "jurisprudence=108, logical_fallacies=163, machine_learning=112, management=103, marketing=234, "
                + "medical_genetics=100, miscellaneous=783, moral_disputes=346, moral_scenarios=895, nutrition=306, "
                + "philosophy=311, prehistory=324, professional_accounting=282, professional_law=1534, "
                + "professional_medicine=272, professional_psychology=612, public_relations=110, "
                + "security_studies=245, sociology=201, us_foreign_policy=100, virology=166, world_religions=171";
        Map<String, Integer> out = new LinkedHashMap<>();
        for (String kv : counts.split(", ")) {
            String[] p = kv.split("=");
            out.put(p[0], Integer.parseInt(p[1]));
        }
        return out;
    }
}
