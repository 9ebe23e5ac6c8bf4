package org.migtrace.replay.spi;

import java.util.List;
import org.migtrace.trace.RecordedDirtyRun;
import org.migtrace.trace.RecordedEvent;

/**
 * One thing to feed a target, in the trace's vocabulary: a recorded event of kind {@code syscall}
 * (with the arguments in its columns and {@code args.in}) or {@code write} (with the pages in
 * {@code dirtyRuns}, source {@code cpu_write} or {@code dma_write}). For a syscall, {@code dirtyRuns}
 * holds the recorded bitmap; a target must not read it to compute its answer (it is what the answer
 * is compared with), except for {@link #derived()} stimuli, which the replayer made from it.
 *
 * @param event     the recorded row
 * @param dirtyRuns the event's dirty-runs rows
 * @param derived   true for a memory write the replayer derived from a recorded bitmap (traces of
 *                  real hosts carry no record of the guest's writes): {@code event} is then the
 *                  bitmap's syscall and {@code dirtyRuns} the pages to write, as {@code dma_write}
 */
public record Stimulus(RecordedEvent event, List<RecordedDirtyRun> dirtyRuns, boolean derived) {
    public Stimulus {
        dirtyRuns = List.copyOf(dirtyRuns);
    }

    public Stimulus(RecordedEvent event, List<RecordedDirtyRun> dirtyRuns) {
        this(event, dirtyRuns, false);
    }

    /** Whether this is a syscall the VMM made. */
    public boolean isSyscall() {
        return !derived && "syscall".equals(event.kind());
    }

    /** Whether this is a memory write (recorded or derived). */
    public boolean isWrite() {
        return derived || "write".equals(event.kind());
    }
}
