package org.locasbench.harness.experiment;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.locasbench.results.Result;

/**
 * One experiment's protocol: its data as work units, the methods it compares, how one unit runs for one method on a
 * worker's model, how those runs become results, and how results are summarised. {@link ExperimentRunner} spreads
 * the units over devices and shards; an implementation reads top to bottom like the paper's protocol.
 *
 * @param <U> a work unit (a book, a conversation, a subject)
 * @param <M> a method (a method setup, or an evaluated variant)
 * @param <P> what one unit x method run yields (a result, or a partial score combined per method)
 */
public interface Experiment<U, M, P> {
    ExperimentKind kind();

    /** Every unit, in order, before sharding. */
    List<U> units();

    /**
     * The methods, in order, for this host's {@code units}; may prepare what they need first (MMLU trains and fuses its
     * variants here).
     */
    List<M> methods(Path modelDir, List<U> units) throws Exception;

    /** The model a method is evaluated on (default: the run's); methods on one model share its workers. */
    default Path modelFor(M method, Path modelDir) {
        return modelDir;
    }

    /** One unit for one method, on a worker's model. */
    P run(U unit, M method, ModelSession session) throws Exception;

    /** The results of one method over this host's units (default: one result per unit). */
    @SuppressWarnings("unchecked")
    default List<Result> results(M method, List<U> units, List<P> runs) {
        return (List<Result>) runs;
    }

    /** All results after every method ran (e.g. times relative to the {@code none} method of the same unit). */
    default List<Result> finish(List<Result> results) {
        return results;
    }

    /** Removes what {@link #methods} prepared (temporary checkpoints). */
    default void cleanUp() throws Exception {}

    default String table(List<Result> results) {
        return kind().table(results);
    }

    default Map<String, String> plots(List<Result> results) {
        return kind().plots(results);
    }
}
