package org.locasbench.harness.experiment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import org.locasbench.harness.config.CommonConfig;
import org.locasbench.harness.config.Pg19Settings;
import org.locasbench.harness.data.Pg19Book;
import org.locasbench.harness.method.MethodSetup;
import org.locasbench.results.Result;

/**
 * PG-19 whole-book perplexity, top to bottom: data (books of a manifest) -> for each method of {@code run.methods}
 * (none = context truncation, long_context, locas, lora) -> windows ({@code window.size} new tokens after
 * {@code window.context} of context) -> score each window with the current memory, then train the memory on it ->
 * metrics ({@link StreamResults}), with wall time relative to {@code none} on the same book. Books are the work units.
 */
public final class Pg19Experiment implements Experiment<Pg19Book, MethodSetup, Result> {
    private final CommonConfig common;
    private final Pg19Settings pg19;
    private final ObjectNode config;

    public Pg19Experiment(CommonConfig common, Pg19Settings pg19, ObjectNode config) {
        this.common = common;
        this.pg19 = pg19;
        this.config = config;
    }

    @Override
    public ExperimentKind kind() {
        return ExperimentKind.PG19;
    }

    @Override
    public List<Pg19Book> units() {
        return StreamResults.books(pg19);
    }

    @Override
    public List<MethodSetup> methods(Path modelDir, List<Pg19Book> units) {
        return common.run().methods().stream().map(m -> MethodSetup.of(common, m)).toList();
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
