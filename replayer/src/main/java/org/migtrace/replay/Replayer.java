package org.migtrace.replay;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.migtrace.replay.internal.DeviceInference;
import org.migtrace.replay.internal.EventsAhead;
import org.migtrace.replay.internal.OutcomeCompare;
import org.migtrace.replay.internal.RecordedOutcomes;
import org.migtrace.replay.spi.BadStimulusException;
import org.migtrace.replay.spi.Outcome;
import org.migtrace.replay.spi.ReplayTarget;
import org.migtrace.replay.spi.ReplayTargetFactory;
import org.migtrace.replay.spi.Stimulus;
import org.migtrace.replay.spi.TargetContext;
import org.migtrace.replay.kernel.KernelTargetFactory;
import org.migtrace.trace.BadTraceException;
import org.migtrace.trace.Manifest;
import org.migtrace.trace.RecordedDirtyRun;
import org.migtrace.trace.RecordedEvent;
import org.migtrace.trace.RecordedTrace;
import org.migtrace.trace.WorkProgress;

/**
 * Feeds a trace's stimuli, in {@code seq} order, to a target and compares every outcome with the
 * recording: the return value and errno, the states a call walked, the returned dirty bitmap page
 * by page, and the values the recording keeps (data fd, device state, pre-copy and stop-copy sizes,
 * v1 registers). With a second target, compares the two targets with each other instead.
 *
 * <p>Stimuli are the VMM's syscalls and the devices' memory writes. A trace of a real host has no
 * record of the guest's writes: for each returned bitmap the replayer derives the writes that
 * explain it (the recorded pages, written by the device just before the call), so the reference
 * model reproduces the recording and a target that tracks dirt differently diverges.
 */
public final class Replayer {
    /** Stimulus lines kept for the context of the first divergence. */
    public static final int CONTEXT = 5;
    /** Event rows fed between two progress reports. */
    private static final int REPORT_EVERY = 1 << 10;

    private Replayer() {
    }

    /** Replays {@code trace} against {@code target}, or against both when {@code against} is not null. */
    public static ReplayResult replay(Path trace, ReplayTargetFactory target, ReplayTargetFactory against)
            throws BadTraceException, IOException {
        return replay(trace, target, against, WorkProgress.NONE);
    }

    /**
     * As {@link #replay(Path, ReplayTargetFactory, ReplayTargetFactory)}, telling {@code progress} how
     * many event rows were fed of the trace's (the intact prefix of a cut-short capture), every {@link #REPORT_EVERY} rows and at the end.
     */
    public static ReplayResult replay(Path trace, ReplayTargetFactory target, ReplayTargetFactory against,
                                      WorkProgress progress) throws BadTraceException, IOException {
        try (RecordedTrace t = RecordedTrace.open(trace)) {
            DeviceInference.Result inferred = DeviceInference.complete(t, t.manifest());
            Manifest m = inferred.manifest();
            TargetContext ctx = new TargetContext(m, () -> KernelTargetFactory.create(m, inferred.hints()));
            try (ReplayTarget a = target.create(ctx); ReplayTarget b = against == null ? null : against.create(ctx)) {
                Run run = new Run(a, b, !"simulated".equals(m.source() == null ? null : m.source().kind()), progress,
                        t.eventCount());
                try {
                    run.feed(t);
                } catch (BadStimulusException e) {
                    throw BadTraceException.of(trace.resolve("events.arrow"), "event seq " + run.seq + ": "
                            + e.getMessage());
                }
                return new ReplayResult(trace.toString(), origin(m), target.name(), against == null ? null : against.name(),
                        run.stimuli, run.compared, run.derivedCount, m.lostEvents(), run.divergences, run.context);
            }
        }
    }

    /** {@code scenario nic-converges, seed 1}, or {@code bpftrace (migtrace 0.1.0)}. */
    static String origin(Manifest m) {
        if (m.scenario() != null) {
            return "scenario " + m.scenario().name() + ", seed " + m.scenario().seed();
        }
        Manifest.Source src = m.source();
        return src == null ? "unknown source" : src.kind() + (src.tool() == null ? "" : " (" + src.tool() + ")");
    }

    /** One replay in progress: the pending syscall waits for its state rows before it is compared. */
    private static final class Run {
        final ReplayTarget a;
        final ReplayTarget b;
        /** A capture (not a simulated run): no record of the guest's writes nor of the kernel's states. */
        final boolean derive;
        final List<Divergence> divergences = new ArrayList<>();
        final ArrayDeque<RecordedEvent> recent = new ArrayDeque<>();
        List<String> context = List.of();
        long stimuli;
        long compared;
        long derivedCount;
        /** Events the capture lost before the current one (its {@code lost} rows so far). */
        long lost;
        /** The event being fed (for a bad-trace message). */
        long seq;
        RecordedOutcomes.Pending pending;
        final WorkProgress progress;
        final long eventRows;

        Run(ReplayTarget a, ReplayTarget b, boolean derive, WorkProgress progress, long eventRows) {
            this.a = a;
            this.b = b;
            this.derive = derive;
            this.progress = progress;
            this.eventRows = eventRows;
        }

        void feed(RecordedTrace t) throws BadTraceException, IOException {
            try (EventsAhead events = new EventsAhead(t)) { // read on a thread of its own, in order
                long fed = 0;
                EventsAhead.Item item;
                while ((item = events.next()) != null) {
                    if (++fed % REPORT_EVERY == 0) {
                        progress.done(fed, eventRows);
                    }
                    event(item.event(), item.runs());
                }
                finish();
                progress.done(fed, fed);
            }
        }

        void event(RecordedEvent e, List<RecordedDirtyRun> runs) {
            seq = e.seq();
            if ("lost".equals(e.kind())) {
                lost += e.count() == null ? 1 : e.count();
            }
            if ("state".equals(e.kind())) {
                if (pending != null && pending.accepts(e)) {
                    pending.addState(e);
                }
                return;
            }
            finish();
            boolean syscall = "syscall".equals(e.kind());
            boolean write = "write".equals(e.kind());
            if (!syscall && !write) {
                return;
            }
            if (syscall && derive && !runs.isEmpty()) {
                List<RecordedDirtyRun> bitmap = runs.stream().filter(r -> "bitmap".equals(r.source())).toList();
                if (!bitmap.isEmpty()) {
                    Stimulus d = new Stimulus(e, bitmap, true);
                    a.apply(d);
                    if (b != null) {
                        b.apply(d);
                    }
                    derivedCount++;
                    stimuli++;
                }
            }
            Stimulus s = new Stimulus(e, runs);
            Outcome oa = a.apply(s);
            Outcome ob = b == null ? null : b.apply(s);
            stimuli++;
            if (syscall) {
                pending = RecordedOutcomes.pending(e, runs, oa, ob);
            }
        }

        void finish() {
            if (pending == null) {
                return;
            }
            RecordedOutcomes.Pending p = pending;
            pending = null;
            compared++;
            List<Divergence> found;
            if (p.against() != null) {
                found = OutcomeCompare.compare(p.event(), p.replayed(), p.against(), true);
            } else if (p.plainlyMatches(!derive)) {
                found = List.of(); // the common case, told without building the recorded outcome
            } else {
                found = OutcomeCompare.compare(p.event(), p.recorded(), p.replayed(), !derive);
            }
            if (lost > 0) {
                found = found.stream().map(d -> new Divergence(d.seq(), d.tsNs(), d.host(), d.op(), d.object(),
                        d.detail(), d.field(), d.expected(), d.actual(), (d.note().isEmpty() ? "" : d.note() + "; ")
                        + "after " + lost + " lost events")).toList();
            }
            if (!found.isEmpty() && divergences.isEmpty()) {
                context = recent.stream().map(RecordedOutcomes::line).toList();
            }
            divergences.addAll(found);
            recent.addLast(p.event());
            if (recent.size() > CONTEXT) {
                recent.removeFirst();
            }
        }
    }
}
