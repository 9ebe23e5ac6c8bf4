package org.migtrace.benchmarks.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.migtrace.trace.RecordedDirtyRun;
import org.migtrace.trace.RecordedTrace;
import org.migtrace.trace.TableCursor;

/**
 * What a reader that does not stream would do: every dirty-run row of a trace held in a list. The
 * memory-bound test runs it in a child JVM under the scale run's heap to show the bound is tight
 * enough to catch one.
 */
public final class HoldEveryRow {
    private HoldEveryRow() {
    }

    public static void main(String[] args) throws Exception {
        List<RecordedDirtyRun> rows = new ArrayList<>();
        try (RecordedTrace trace = RecordedTrace.open(Path.of(args[0]));
             TableCursor<RecordedDirtyRun> runs = trace.dirtyRuns()) {
            while (runs.hasNext()) {
                rows.add(runs.next());
            }
        }
        System.out.println(rows.size() + " dirty runs held");
    }
}
