package org.locasbench.harness.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.locasbench.harness.console.ProgressBar;
import org.locasbench.harness.protocol.Window;
import org.locasbench.harness.protocol.WindowPlan;
import org.locasbench.harness.protocol.WindowScorer;
import org.locasbench.model.AtomicFiles;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.adapter.LayerAdapter;
import org.locasbench.model.tokenizer.TextTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Scores a text with the frozen model in windows: per-token NLL, mean NLL and perplexity. */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = "Per-token NLL / perplexity of a text (default: bundled PG-19 book 10146 with the bundled model).")
public final class ScoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Mixin
    TextInput input = new TextInput();

    @Option(names = "--window", descriptionKey = "window.size",
            description = "New tokens per window (default ${DEFAULT-VALUE}).")
    String window;

    @Option(names = "--context", descriptionKey = "window.context",
            description = "Tokens of preceding context fed before each window (default ${DEFAULT-VALUE}).")
    String context;

    @Option(names = "--show", defaultValue = "12", description = "Print the NLL of the first N tokens (default ${DEFAULT-VALUE}).")
    int show;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write ids and per-token NLL as JSON.")
    Path out;

    @Override
    public Integer call() throws Exception {
        new OutputCheck().file("--out", out);
        PrintStream stdout = System.out;
        var config = ConfigDefaults.common(spec);
        Path dir = modelOptions.resolveDirectory();
        try (Qwen3Model model = modelOptions.load(dir, config)) {
            TextTokenizer[] tokenizer = new TextTokenizer[1];
            TextInput.Tokens tokens = input.read(() -> tokenizer[0] = ModelOptions.tokenizerFor(model));
            try {
                score(model, dir, tokens, tokenizer[0], stdout, config.window());
            } finally {
                if (tokenizer[0] != null) {
                    tokenizer[0].close();
                }
            }
        }
        return 0;
    }

    /** Scores and reports; {@code tokenizer} (null for --ids input) only decodes the tokens shown. */
    private void score(Qwen3Model model, Path dir, TextInput.Tokens tokens, TextTokenizer tokenizer, PrintStream stdout,
            org.locasbench.harness.config.WindowSettings settings) throws Exception {
        int window = settings.size();
        int context = settings.context();
        Commands.requireIdsFit(tokens, model);
        long[] ids = tokens.ids();
        List<Window> windows = WindowPlan.of(ids.length, window, context);
        ProgressBar bar = new ProgressBar(System.err, "score", windows.size(), ids.length);
        long start = System.nanoTime();
        float[] nll = WindowScorer.scoreAll(model, LayerAdapter.NONE, ids, windows, w -> bar.step(w.newTokens()));
        double seconds = (System.nanoTime() - start) / 1e9;
        double mean = WindowScorer.mean(nll);
        ObjectNode json = JsonOutput.object();
        json.put("model", dir.toString()).put("text", tokens.description()).put("window", window)
                .put("context", context).put("mean_nll", mean).put("ppl", Math.exp(mean));
        json.putPOJO("ids", ids);
        json.putPOJO("nll", nll);
        FiniteResults.require(json, "score result"); // nothing printed or written unless every number is finite
        stdout.printf("model     %s (%,d parameters, %s, %s)%n", dir, model.parameterCount(),
                modelOptions.precision, modelOptions.device);
        stdout.printf("text      %s: %,d tokens, %,d scored%n", tokens.description(), ids.length, nll.length);
        stdout.printf("windows   %d x %d new tokens, context %d%n", windows.size(), window, context);
        stdout.printf("mean NLL  %.4f nats/token   PPL %.2f   (%.0f tokens/s)%n", mean, Math.exp(mean),
                ids.length / seconds);
        if (show > 0) {
            stdout.printf("%n%8s  %-18s %8s%n", "position", "token", "NLL");
            for (int i = 0; i < Math.min(show, nll.length); i++) {
                String piece = tokenizer != null ? tokenizer.decode(new long[] {ids[i + 1]}) : "";
                stdout.printf("%8d  %-18s %8.4f%n", i + 1, quote(piece) + " " + ids[i + 1], nll[i]);
            }
        }
        if (out != null) {
            AtomicFiles.write(out, o -> new ObjectMapper().writeValue(o, json));
            stdout.println("wrote " + out);
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("\n", "\\n") + "'";
    }
}
