package org.locasbench.harness.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.locasbench.results.HistoryRecord;
import org.locasbench.results.MetricHistory;

/**
 * Appends a finished run's (or a merge's) metric-history records to the user's history, the file the report's trend
 * charts read ({@code -Dmetrics.history.file}, else {@code ~/.cache/locas-bench/metric-history.jsonl}); records
 * already there (the same results again) are left out.
 */
final class HistoryAppend {
    private HistoryAppend() {}

    /** 0, or 2 after one {@code error:} line when the history file is corrupt (it is then left as it was). */
    static int toUserHistory(List<HistoryRecord> records) throws IOException {
        Path file = MetricHistory.defaultFile();
        try {
            List<HistoryRecord> added = MetricHistory.append(file, records);
            System.out.println("metric history: " + file + " (" + added.size() + " of " + records.size()
                    + " records appended)");
            return 0;
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage() + "; the results were written, the history was not "
                    + "changed: fix or move that file (-D" + MetricHistory.FILE_PROPERTY + "=FILE picks another)");
            return 2;
        }
    }
}
