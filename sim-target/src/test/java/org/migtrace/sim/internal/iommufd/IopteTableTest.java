package org.migtrace.sim.internal.iommufd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.migtrace.sim.internal.vfio.IommuHw;

class IopteTableTest {
    static final long K4 = 4096;
    static final long M2 = 1L << 21;
    static final long G1 = 1L << 30;
    static final long X86 = IommuHw.X86_DIRTY.pgsizeBitmap();

    static List<String> layout(IopteTable t) {
        List<String> out = new ArrayList<>();
        for (IopteTable.Run r : t.runs()) {
            out.add(r.pgsize + "x" + r.count);
        }
        return out;
    }

    @Test
    void hugeBackingGivesHugeIoptesWithSmallHeadAndTail() {
        // IOVA and user address both 4 KiB short of a 2 MiB boundary, 2 MiB + 8 KiB long
        IopteTable t = new IopteTable(M2 - K4, 64 * M2 - K4, M2 + 2 * K4, M2, X86);
        assertThat(layout(t)).containsExactly(K4 + "x1", M2 + "x1", K4 + "x1");
    }

    @Test
    void smallBackingPagesLimitIoptesToFourKilobytes() {
        assertThat(layout(new IopteTable(0, 64 * M2, 4 * M2, K4, X86))).containsExactly(K4 + "x2048");
    }

    @Test
    void iovaAndAddressMisalignedToEachOtherGetNoHugeIoptes() {
        assertThat(layout(new IopteTable(M2 + K4, 64 * M2, 2 * M2, M2, X86))).containsExactly(K4 + "x1024");
    }

    @Test
    void gigabyteBackingUsesGigabyteIoptesWhereAligned() {
        IopteTable t = new IopteTable(G1 - M2, 8 * G1 - M2, G1 + M2, G1, X86);
        assertThat(layout(t)).containsExactly(M2 + "x1", G1 + "x1");
    }

    @Test
    void disabledLargePagesMapEverythingAtFourKilobytes() {
        assertThat(layout(new IopteTable(0, 0, 2 * M2, M2, K4))).containsExactly(K4 + "x1024");
    }

    @Test
    void aTerabyteOfFourKilobyteIoptesIsOneRunAndCheapUntilDirtied() {
        long tib = 1L << 40;
        IopteTable t = new IopteTable(0, 64 * M2, tib, K4, X86);
        assertThat(layout(t)).containsExactly(K4 + "x" + (tib / K4));
        t.markDirty(0, tib - 1);
        assertThat(t.dirtyCount()).isEqualTo(tib / K4);
        long[] reported = new long[2];
        t.readAndClear(0, tib - 1, false, (iova, pg, count) -> {
            reported[0]++;
            reported[1] += count;
        });
        assertThat(reported).containsExactly(1, tib / K4);
        assertThat(t.dirtyCount()).isZero();
    }

    @Test
    void aWalkStartingInsideAHugeIopteReportsFromWhereItStarted() {
        IopteTable t = new IopteTable(0, 0, 2 * M2, M2, X86);
        t.markDirty(0, 0);
        List<long[]> got = new ArrayList<>();
        t.readAndClear(K4, 2 * M2 - 1, true, (iova, pg, count) -> got.add(new long[] {iova, pg, count}));
        assertThat(got).hasSize(1);
        assertThat(got.get(0)).containsExactly(K4, M2, 1);
    }
}
