package org.migtrace.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.migtrace.replay.variant.ResetChangesState;

/** libvfio-user #853 on the reference's hisi_acc VF: what a reset in PRE_COPY changes under the bug. */
class ResetChangesStateTest {
    @Test
    void resetInPreCopyIsFirstDivergenceAndTheNextSetOpensANewDataFd() throws Exception {
        ReplayResult r = Replayer.replay(SampleTraces.of(SampleTraces.EDGES_IOMMUFD), new ResetChangesState(), null);

        Divergence first = r.divergences().get(0);
        assertThat(first.op()).isEqualTo("VFIO_DEVICE_RESET");
        assertThat(first.field()).isEqualTo("states");
        assertThat(first.expected()).isEmpty();
        assertThat(first.actual()).isEqualTo("PRE_COPY>RUNNING");
        // QEMU, still holding the pre-copy data fd, would fail this SET with "data_fd out of sync"
        List<Divergence> stopCopy = r.divergences().stream()
                .filter(d -> d.seq() > first.seq() && d.detail().contains("STOP_COPY")).toList();
        assertThat(stopCopy).extracting(Divergence::field).contains("states", "data_fd");
        assertThat(stopCopy.stream().filter(d -> d.field().equals("data_fd")).findFirst().orElseThrow().expected())
                .isEqualTo("-1");
    }

    @Test
    void theReferenceKeepsPreCopyAcrossTheReset() throws Exception {
        ReplayResult r = Replayer.replay(SampleTraces.of(SampleTraces.EDGES_IOMMUFD),
                Targets.builtIn().get("kernel"), null);

        assertThat(r.divergences()).isEmpty();
    }
}
