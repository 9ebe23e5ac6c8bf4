package org.migtrace.sim.mem;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BitmapTest {

    @Test
    void rangesAcrossWordBoundariesSetAndClearExactlyThoseBits() {
        Bitmap b = new Bitmap(300);
        b.setRange(60, 10);
        assertThat(b.cardinality()).isEqualTo(10);
        assertThat(b.get(59)).isFalse();
        assertThat(b.get(60)).isTrue();
        assertThat(b.get(69)).isTrue();
        assertThat(b.get(70)).isFalse();
        b.clearRange(62, 3);
        assertThat(b.cardinality(60, 10)).isEqualTo(7);
        b.setRange(0, 300);
        assertThat(b.cardinality()).isEqualTo(300);
        assertThat(b.words()[4] >>> 44).as("tail bits past size stay zero").isZero();
    }

    @Test
    void runsAreReportedInOrderAndClippedToTheWindow() {
        Bitmap b = new Bitmap(200);
        b.setRange(3, 2);
        b.setRange(63, 3);
        b.setRange(199, 1);
        List<long[]> runs = new ArrayList<>();
        b.forEachRun((f, c) -> runs.add(new long[] {f, c}));
        assertThat(runs).containsExactly(new long[] {3, 2}, new long[] {63, 3}, new long[] {199, 1});
        runs.clear();
        b.forEachRun(64, 100, (f, c) -> runs.add(new long[] {f, c}));
        assertThat(runs).containsExactly(new long[] {64, 2});
    }

    @Test
    void nextSetAndClearBitScanAcrossWords() {
        Bitmap b = new Bitmap(130);
        b.setRange(0, 129);
        assertThat(b.nextClearBit(0)).isEqualTo(129);
        assertThat(b.nextSetBit(129)).isEqualTo(-1);
        b.clearAll();
        b.set(128);
        assertThat(b.nextSetBit(1)).isEqualTo(128);
        assertThat(b.isEmpty()).isFalse();
    }
}
