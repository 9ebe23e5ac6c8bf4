package org.migtrace.sim.internal.vendor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.migtrace.sim.internal.vfio.IovaRange;

/** {@code vfio_combine_iova_ranges} semantics. */
class IovaRangesTest {

    static IovaRange r(long start, long last) {
        return new IovaRange(start, last - start + 1);
    }

    @Test
    void theSmallestGapIsMergedFirst() {
        List<IovaRange> in = List.of(r(0, 9), r(20, 29), r(32, 39), r(100, 109));
        assertThat(IovaRanges.combine(in, 3)).containsExactly(r(0, 9), r(20, 39), r(100, 109));
        assertThat(IovaRanges.combine(in, 2)).containsExactly(r(0, 39), r(100, 109));
    }

    @Test
    void onATieTheFirstPairInIovaOrderIsMerged() {
        List<IovaRange> in = List.of(r(0, 9), r(20, 29), r(40, 49));
        assertThat(IovaRanges.combine(in, 2)).containsExactly(r(0, 29), r(40, 49));
    }

    @Test
    void oneRangeWantedSpansFirstToLast() {
        List<IovaRange> in = List.of(r(4096, 8191), r(1L << 40, (1L << 40) + 4095), r(1L << 50, (1L << 50) + 4095));
        assertThat(IovaRanges.combine(in, 1)).containsExactly(r(4096, (1L << 50) + 4095));
    }

    @Test
    void logsRoundAsTheKernelDoes() {
        assertThat(IovaRanges.ilog2(4096)).isEqualTo(12);
        assertThat(IovaRanges.ilog2(6000)).isEqualTo(12);
        assertThat(IovaRanges.ilog2(0)).isEqualTo(-1);
        assertThat(IovaRanges.log2Ceil(4096)).isEqualTo(12);
        assertThat(IovaRanges.log2Ceil(4097)).isEqualTo(13);
        assertThat(IovaRanges.log2Ceil(1)).isZero();
    }
}
