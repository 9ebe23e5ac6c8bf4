package org.migtrace.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.migtrace.trace.RecordedEvent;
import org.migtrace.trace.RecordedTrace;

/** A guest's FLR through the config space is a pwrite a trace keeps, with its value, and replays as a reset. */
class GuestFlrReplayTest {
    @Test
    void theFlrWriteIsRecordedWithItsValueAndReplaysAsTheResetItWas() throws Exception {
        List<RecordedEvent> events = RecordedTrace.readAllEvents(SampleTraces.of(SampleTraces.EDGES));
        int i = 0;
        while (!("pwrite64".equals(events.get(i).op()) && events.get(i).args().contains("\"value\":32768"))) {
            i++;
        }
        RecordedEvent flr = events.get(i);
        RecordedEvent state = events.get(i + 1);
        assertThat(state.kind()).isEqualTo("state");
        assertThat(state.fromState() + ">" + state.toState()).isEqualTo("PRE_COPY>RUNNING");

        ReplayResult r = Replayer.replay(SampleTraces.of(SampleTraces.EDGES), Targets.builtIn().get("kernel"), null);
        assertThat(r.divergences()).noneMatch(d -> d.seq() >= flr.seq());
    }
}
