package org.migtrace.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceSummaryTest {

    @TempDir
    Path tmp;

    @Test
    void theSummaryCountsOpsErrnoPagesAndLossesOverTheTimeSpan() throws Exception {
        SampleTrace sample = SampleTrace.of(64);
        sample.write(tmp.resolve("t"), 16);
        TraceSummary s = TraceSummary.read(tmp.resolve("t"));

        assertThat(s.source().kind()).isEqualTo("simulated");
        assertThat(s.hosts()).extracting(Manifest.HostInfo::name).containsExactly("src", "dst");
        assertThat(s.devices()).extracting(Manifest.DeviceInfo::name).containsExactly("0000:3b:00.1");
        assertThat(s.firstTsNs()).isZero();
        assertThat(s.durationNs()).isEqualTo(sample.events().get(63).tsNs());
        assertThat(s.events()).isEqualTo(64);
        assertThat(s.ops()).extracting(TraceSummary.OpCount::kind, TraceSummary.OpCount::op, TraceSummary.OpCount::count,
                TraceSummary.OpCount::failed).containsExactly(
                tuple("lost", "LOST", 1L, 0L),
                tuple("migration", "ITERATION", 8L, 0L),
                tuple("migration", "SETUP", 7L, 0L),
                tuple("state", "DEVICE_STATE", 8L, 0L),
                tuple("syscall", "VFIO_DEVICE_FEATURE", 16L, 8L),
                tuple("syscall", "VFIO_IOMMU_DIRTY_PAGES", 8L, 0L),
                tuple("syscall", "openat", 8L, 0L),
                tuple("write", "CPU_WRITE", 4L, 0L),
                tuple("write", "DMA_WRITE", 4L, 0L));
        assertThat(s.errnos()).containsExactly(new TraceSummary.ErrnoCount("EINVAL", 22, 8));
        assertThat(s.dirtyPages()).containsEntry("bitmap", 34L + 40L) // 8 bitmaps: runs of 1 and 1..5 pages, words of 4..6 pages
                .containsEntry("cpu_write", 32L).containsEntry("dma_write", 32L);
        assertThat(s.iterations()).isEqualTo(8);
        assertThat(s.lostEvents()).isEqualTo(3);
        assertThat(s.lostInMarkers()).isEqualTo(3);
        assertThat(s.captureComplete()).isTrue();
    }
}
