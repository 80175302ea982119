package org.locasbench.harness.experiment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.locasbench.harness.config.AblationSettings;
import org.locasbench.harness.config.CommonConfig;
import org.locasbench.harness.config.Pg19Settings;
import org.locasbench.harness.data.Pg19Book;
import org.locasbench.harness.method.MethodSetup;
import org.locasbench.locas.InitStrategy;
import org.locasbench.results.Result;

/**
 * The init-strategy ablation: the PG-19 protocol for Locas with every init of {@code ablation.inits} at every width of
 * {@code ablation.widths} (the paper's claim: memorize-initialised memories converge fastest), on the books of the
 * {@code pg19} section, and with {@code ablation.baseline} the frozen model first (the "no memory" row). Metrics as
 * PG-19's, notably NLL after 1, 2 and 4 windows.
 */
public final class AblationExperiment implements Experiment<Pg19Book, MethodSetup, Result> {
    private final CommonConfig common;
    private final Pg19Settings pg19;
    private final AblationSettings ablation;
    private final ObjectNode config;

    public AblationExperiment(CommonConfig common, Pg19Settings pg19, AblationSettings ablation, ObjectNode config) {
        this.common = common;
        this.pg19 = pg19;
        this.ablation = ablation;
        this.config = config;
    }

    @Override
    public ExperimentKind kind() {
        return ExperimentKind.ABLATION;
    }

    @Override
    public List<Pg19Book> units() {
        return StreamResults.books(pg19);
    }

    @Override
    public List<MethodSetup> methods(Path modelDir, List<Pg19Book> units) {
        List<MethodSetup> setups = new ArrayList<>();
        if (ablation.baseline()) {
            setups.add(MethodSetup.of(common, org.locasbench.harness.config.Method.NONE));
        }
        for (int width : ablation.widths()) {
            for (InitStrategy init : ablation.inits()) {
                var fixed = common.locas().withWidth(width).withInit(init).fixed();
                setups.add(MethodSetup.locas(fixed, common.training(), common.grpo(), common.run().seed(),
                        common.window().context()));
                if (ablation.growEvery() != null) {
                    if (fixed.growBy() >= width) {
                        throw new org.locasbench.harness.config.ConfigException("ablation.growEvery", "an expandable "
                                + "memory starts at locas.growBy = " + fixed.growBy() + " rows and grows to the width "
                                + width + ": lower locas.growBy below every ablation width");
                    }
                    setups.add(MethodSetup.locas(fixed.expandable(fixed.growBy(), ablation.growEvery(), width),
                            common.training(), common.grpo(), common.run().seed(), common.window().context()));
                }
            }
        }
        return setups;
    }

    @Override
    public Result run(Pg19Book book, MethodSetup method, ModelSession session) {
        return StreamResults.stream(kind().id(), common, pg19, config, book, method, session);
    }

    @Override
    public List<Result> finish(List<Result> results) {
        return StreamResults.relativeToNone(results);
    }
}
