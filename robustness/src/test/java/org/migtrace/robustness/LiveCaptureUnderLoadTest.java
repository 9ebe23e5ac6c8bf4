package org.migtrace.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.migtrace.cli.Main;

/**
 * {@link LiveLoad} at a modest rate, as {@code mvn verify} can afford: 400,000 bpftrace-shaped lines
 * paced at 100,000 a second into {@code migtrace import bpftrace -}. Every call written lands as an event,
 * nothing is lost, and the consumer runs in a heap too small for a trace that grew with its input:
 * 96 MiB, where the stream would need several times that if memory followed the capture. The rate
 * it sustains is the harness's business ({@link LoadCommand}), not this test's.
 */
class LiveCaptureUnderLoadTest {

    @TempDir
    Path tmp;

    @Test
    void everyLinePacedIntoTheImportLandsInASmallHeap() throws Exception {
        LiveLoad.Settings settings = new LiveLoad.Settings(100_000, 4, "nic-converges", ChildJvm.command(Main.class, List.of("-Xmx96m")));

        LiveLoad.Result r = LiveLoad.run(settings, tmp.resolve("trace"));

        assertThat(r.exit()).as(LoadCommand.report(r)).isZero();
        LiveLoad.Landed landed = LiveLoad.landed(r);
        assertThat(landed.events()).as(landed.describe()).isEqualTo(r.calls());
        assertThat(landed.lost()).isZero();
        assertThat(landed.complete()).isTrue();
    }
}
