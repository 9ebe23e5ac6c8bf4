package org.migtrace.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.migtrace.replay.internal.EventsAhead;
import org.migtrace.replay.internal.OutcomeCompare;
import org.migtrace.replay.internal.RecordedOutcomes;
import org.migtrace.replay.spi.Outcome;
import org.migtrace.replay.spi.PageRuns;
import org.migtrace.trace.RecordedDirtyRun;
import org.migtrace.trace.RecordedEvent;
import org.migtrace.trace.RecordedTrace;

/**
 * The replay tells most calls match without building the recorded outcome
 * ({@link RecordedOutcomes.Pending#plainlyMatches}). That shortcut must never hide a divergence:
 * for every call of every sample trace, against its recorded outcome and against outcomes that
 * differ from it in each part, whenever the shortcut says "matches" the full compare finds nothing.
 */
class PlainMatchTest {

    @Test
    void aPlainMatchIsNeverADivergenceTheFullCompareFinds() throws Exception {
        int checked = 0;
        int plain = 0;
        int diverging = 0;
        for (String name : SampleTraces.ALL) {
            try (RecordedTrace t = RecordedTrace.open(SampleTraces.of(name)); EventsAhead events = new EventsAhead(t)) {
                RecordedEvent call = null;
                List<RecordedDirtyRun> runs = List.of();
                List<RecordedEvent> states = new ArrayList<>();
                EventsAhead.Item item;
                while (true) {
                    item = events.next();
                    if (item != null && item.event().kind().equals("state")) {
                        states.add(item.event());
                        continue;
                    }
                    if (call != null) {
                        for (Outcome replayed : variations(pending(call, runs, states, Outcome.NONE).recorded())) {
                            for (boolean compareStates : new boolean[] {true, false}) {
                                RecordedOutcomes.Pending p = pending(call, runs, states, replayed);
                                List<Divergence> found = OutcomeCompare.compare(call, p.recorded(), replayed,
                                        compareStates);
                                boolean shortcut = p.plainlyMatches(compareStates);
                                if (shortcut) {
                                    assertThat(found).as("%s #%d against %s", name, call.seq(), replayed).isEmpty();
                                    plain++;
                                }
                                diverging += found.isEmpty() ? 0 : 1;
                                checked++;
                            }
                        }
                    }
                    if (item == null) {
                        break;
                    }
                    call = item.event().isSyscall() ? item.event() : null;
                    runs = item.runs();
                    states.clear();
                }
            }
        }
        assertThat(diverging).as("outcomes that differ").isGreaterThan(checked / 10);
        assertThat(plain).as("calls told without the full compare").isGreaterThan(checked / 10);
    }

    private static RecordedOutcomes.Pending pending(RecordedEvent call, List<RecordedDirtyRun> runs,
                                                    List<RecordedEvent> states, Outcome replayed) {
        RecordedOutcomes.Pending p = RecordedOutcomes.pending(call, runs, replayed, null);
        for (RecordedEvent s : states) {
            if (p.accepts(s)) {
                p.addState(s);
            }
        }
        return p;
    }

    /** The recorded outcome, and outcomes that differ from it in one part each (or add a part). */
    private static List<Outcome> variations(Outcome recorded) {
        List<Outcome> out = new ArrayList<>();
        out.add(recorded);
        out.add(new Outcome(null, recorded.states(), recorded.bitmap(), recorded.values()));
        if (recorded.ret() != null) {
            out.add(recorded.withRet(recorded.ret() + 1));
            out.add(recorded.withRet(-22));
        }
        out.add(new Outcome(recorded.ret(), List.of(), recorded.bitmap(), recorded.values()));
        List<String> more = new ArrayList<>(recorded.states());
        more.add("RUNNING>STOP");
        out.add(new Outcome(recorded.ret(), more, recorded.bitmap(), recorded.values()));
        out.add(recorded.withBitmap(null));
        out.add(recorded.withBitmap(PageRuns.EMPTY));
        out.add(recorded.withBitmap(new PageRuns.Builder().add(7, 1).build()));
        for (Map.Entry<String, String> v : recorded.values().entrySet()) {
            out.add(recorded.withValue(v.getKey(), "1" + v.getValue()));
            out.add(recorded.withValue(v.getKey(), v.getValue() + "0"));
            out.add(recorded.withValue(v.getKey(), "-" + v.getValue()));
            Map<String, String> without = new TreeMap<>(recorded.values());
            without.remove(v.getKey());
            out.add(new Outcome(recorded.ret(), recorded.states(), recorded.bitmap(), without));
        }
        for (String key : List.of("to_state", "data_fd", "initial_bytes", "dirty_bytes", "stop_copy_length",
                "register.device_state")) {
            out.add(recorded.withValue(key, "0"));
            out.add(recorded.withValue(key, "RUNNING"));
        }
        return out;
    }
}
