package org.locasbench.harness.experiment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.locasbench.harness.config.RunSettings;
import org.locasbench.results.Result;

/**
 * Runs an experiment: this shard's units, every method, spread over the run's devices (one worker per device, one
 * model copy each; methods evaluated on the same model share workers, and a unit's methods run in order on one
 * worker, so they are timed alike).
 */
public final class ExperimentRunner {
    private ExperimentRunner() {}

    /** Runs the experiment a loaded config describes (what {@code locas-bench run NAME} does). */
    public static Report run(ExperimentKind kind, org.locasbench.harness.config.ConfigLoader.Layers layers, Shard shard)
            throws Exception {
        return run(kind.create(layers), layers.common().run(), shard);
    }

    public static <U, M, P> Report run(Experiment<U, M, P> e, RunSettings run, Shard shard) throws Exception {
        run.devices().forEach(d -> org.locasbench.harness.config.Devices.available(d, "run.devices"));
        List<U> units = shard.select(e.units());
        if (units.isEmpty()) {
            throw new IllegalArgumentException("shard " + shard + " has no units: the experiment has "
                    + e.units().size() + "; use fewer shards");
        }
        Path modelDir = ModelSession.resolveModel(run);
        try {
            List<M> methods = e.methods(modelDir, units);
            Map<Path, List<M>> byModel = new LinkedHashMap<>();
            for (M m : methods) {
                byModel.computeIfAbsent(e.modelFor(m, modelDir), k -> new ArrayList<>()).add(m);
            }
            Map<M, List<P>> runs = new LinkedHashMap<>();
            for (Map.Entry<Path, List<M>> group : byModel.entrySet()) {
                List<List<P>> perUnit = DevicePool.run(units, run.devices(),
                        device -> ModelSession.open(group.getKey(), run, device), (unit, session, device) -> {
                            List<P> out = new ArrayList<>();
                            for (M m : group.getValue()) {
                                out.add(e.run(unit, m, session));
                            }
                            return out;
                        });
                for (int i = 0; i < group.getValue().size(); i++) {
                    List<P> column = new ArrayList<>();
                    for (List<P> row : perUnit) {
                        column.add(row.get(i));
                    }
                    runs.put(group.getValue().get(i), column);
                }
            }
            List<Result> results = new ArrayList<>();
            for (M m : methods) {
                results.addAll(e.results(m, units, runs.get(m)));
            }
            results = e.finish(results);
            return new Report(e.kind(), results, e.plots(results), e.table(results), shard);
        } finally {
            e.cleanUp();
        }
    }
}
