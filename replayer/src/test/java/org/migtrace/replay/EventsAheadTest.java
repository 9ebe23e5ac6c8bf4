package org.migtrace.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.migtrace.replay.internal.EventsAhead;
import org.migtrace.trace.RecordedDirtyRun;
import org.migtrace.trace.RecordedEvent;
import org.migtrace.trace.RecordedTrace;
import org.migtrace.trace.TableCursor;

/** The replay's events, read ahead on a thread of their own: the same events, in order, each with its own runs. */
class EventsAheadTest {

    @Test
    void everyEventComesInOrderWithTheRunsThatReferToIt() throws Exception {
        for (String name : List.of("nic-converges", SampleTraces.EDGES)) {
            Path trace = SampleTraces.of(name);
            List<RecordedEvent> events = new ArrayList<>();
            List<RecordedDirtyRun> runs = new ArrayList<>();
            try (RecordedTrace t = RecordedTrace.open(trace);
                 TableCursor<RecordedEvent> ec = t.events();
                 TableCursor<RecordedDirtyRun> rc = t.dirtyRuns()) {
                while (ec.hasNext()) {
                    events.add(ec.next());
                }
                while (rc.hasNext()) {
                    runs.add(rc.next());
                }
            }
            if (name.equals("nic-converges")) {
                assertThat(events).as(name).hasSizeGreaterThan(256); // more than one batch handed over
            }
            assertThat(runs).as(name).isNotEmpty();

            List<RecordedEvent> read = new ArrayList<>();
            List<RecordedDirtyRun> readRuns = new ArrayList<>();
            try (RecordedTrace t = RecordedTrace.open(trace); EventsAhead ahead = new EventsAhead(t)) {
                EventsAhead.Item item;
                while ((item = ahead.next()) != null) {
                    read.add(item.event());
                    for (RecordedDirtyRun r : item.runs()) {
                        assertThat(r.eventSeq()).as(name).isEqualTo(item.event().seq());
                        readRuns.add(r);
                    }
                }
                assertThat(ahead.next()).isNull();
            }
            assertThat(read).as(name).containsExactlyElementsOf(events);
            assertThat(readRuns).as(name).containsExactlyElementsOf(runs);
        }
    }

    @Test
    void closingBeforeTheEndStopsTheReadingThread() throws Exception {
        // The reader is waiting for room (the queue is full: one event taken of hundreds); close()
        // must end that wait and the thread, not wait for a consumer that is gone.
        try (RecordedTrace t = RecordedTrace.open(SampleTraces.of("nic-converges"))) {
            EventsAhead ahead = new EventsAhead(t);
            assertThat(ahead.next()).isNotNull();
            assertTimeoutPreemptively(Duration.ofSeconds(10), ahead::close);
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(
                th -> th.getName().equals("migtrace-replay-reader") && th.isAlive());
    }
}
