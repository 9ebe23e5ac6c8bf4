package org.migtrace.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReplaySummaryTest {
    @Test
    void aTraceWithNothingToCompareSaysSoInsteadOfJustNoDivergence() {
        ReplayResult r = new ReplayResult("log", "qemu-log (migtrace)", "kernel", null, 0, 0, 0, 0, List.of(), List.of());
        assertThat(ReplaySummary.lines(r)).anyMatch(l -> l.startsWith("warning: nothing was compared"))
                .contains("no divergence");
    }

    @Test
    void theFirstDivergenceComesWithTheCallsBeforeItAndTheCountsByField() {
        Divergence d = new Divergence(42, 1000, "src", "VFIO_DEVICE_FEATURE", "0000:3b:00.1",
                "MIG_DEVICE_STATE SET -> PRE_COPY", "ret", "-22 EINVAL", "0", "");
        Divergence b = new Divergence(50, 2000, "src", "VFIO_DEVICE_FEATURE", "0000:3b:00.1",
                "DMA_LOGGING_REPORT GET", "bitmap", "3 pages", "2 pages", "missing 1 page: 7");
        ReplayResult r = new ReplayResult("t", "scenario nic-converges, seed 1", "fsm-stop-copy-to-pre-copy", null,
                100, 60, 0, 0, List.of(d, b), List.of("#40 src VFIO_DEVICE_FEATURE MIG_DEVICE_STATE SET -> STOP_COPY = 0"));
        List<String> lines = ReplaySummary.lines(r);
        assertThat(lines.get(0)).contains("(scenario nic-converges, seed 1)").contains("60 calls compared");
        assertThat(lines).contains("2 divergences (bitmap 1, ret 1)",
                "first divergence at #42 (src, t=1000 ns): VFIO_DEVICE_FEATURE MIG_DEVICE_STATE SET -> PRE_COPY on "
                        + "0000:3b:00.1: ret expected -22 EINVAL, got 0",
                "  #40 src VFIO_DEVICE_FEATURE MIG_DEVICE_STATE SET -> STOP_COPY = 0");
    }
}
