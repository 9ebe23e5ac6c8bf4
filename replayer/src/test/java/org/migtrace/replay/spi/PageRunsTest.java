package org.migtrace.replay.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.BitSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PageRunsTest {
    @Test
    void touchingAndOverlappingRunsMerge() {
        PageRuns p = new PageRuns.Builder().add(10, 5).add(15, 2).add(16, 10).add(40, 1).build();
        assertThat(p.describe(8)).isEqualTo("17 pages: 10+16 40");
        assertThat(p.runCount()).isEqualTo(2);
    }

    @Test
    void aWordIsItsSetBitsAsRuns() {
        PageRuns p = new PageRuns.Builder().addWord(64, 0b1011_0001L).addWord(128, -1L).build();
        assertThat(p.describe(8)).isEqualTo("68 pages: 64 68+2 71 128+64");
    }

    @Test
    void runsOutOfOrderAreRefused() {
        assertThatThrownBy(() -> new PageRuns.Builder().add(10, 1).add(5, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unionMinusAndWithinAgreeWithABitSetOnRandomSets() {
        SplittableRandom r = new SplittableRandom(7);
        for (int round = 0; round < 200; round++) {
            BitSet a = random(r);
            BitSet b = random(r);
            PageRuns pa = of(a);
            PageRuns pb = of(b);
            BitSet or = (BitSet) a.clone();
            or.or(b);
            BitSet andNot = (BitSet) a.clone();
            andNot.andNot(b);
            BitSet window = a.get(100, 300);
            BitSet shifted = new BitSet();
            window.stream().forEach(i -> shifted.set(i + 100));
            assertThat(pa.union(pb)).isEqualTo(of(or));
            assertThat(pa.minus(pb)).isEqualTo(of(andNot));
            assertThat(pa.within(100, 300)).isEqualTo(of(shifted));
            assertThat(pa.pageCount()).isEqualTo(a.cardinality());
            assertThat(pa.contains(150)).isEqualTo(a.get(150));
        }
    }

    private static BitSet random(SplittableRandom r) {
        BitSet s = new BitSet();
        int runs = r.nextInt(12);
        for (int i = 0; i < runs; i++) {
            int from = r.nextInt(500);
            s.set(from, from + 1 + r.nextInt(40));
        }
        return s;
    }

    private static PageRuns of(BitSet s) {
        PageRuns.Builder b = new PageRuns.Builder();
        for (int i = s.nextSetBit(0); i >= 0; i = s.nextSetBit(i + 1)) {
            b.add(i, 1);
        }
        return b.build();
    }
}
