package org.migtrace.recorder.importer.bpftrace.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.migtrace.recorder.internal.BitmapRequest;
import org.migtrace.recorder.internal.BitmapRuns;
import org.migtrace.recorder.internal.TracedMemory;

class CapturedMemoryTest {

    /** The same memory without the hint: every word is read. */
    private static TracedMemory everyWord(CapturedMemory m) {
        return new TracedMemory() {
            @Override
            public byte[] read(long addr, int len) {
                return m.read(addr, len);
            }

            @Override
            public boolean readLongs(long addr, long[] dst, int from, int n) {
                return m.readLongs(addr, dst, from, n);
            }

            @Override
            public long readableFrom(long addr) {
                return m.readableFrom(addr);
            }
        };
    }

    private static List<long[]> words(TracedMemory mem, BitmapRequest r) {
        List<long[]> out = new ArrayList<>();
        assertThat(new BitmapRuns().scanWords(mem, r, (page, bits) -> out.add(new long[] {page, bits}))).isTrue();
        return out;
    }

    @Test
    void readingOnlyTheBlocksAnyOrderAndOverlapGivesWhatReadingEveryWordGives() {
        // the reference: a fresh memory given the same blocks, every word read
        SplittableRandom rnd = new SplittableRandom(5);
        CapturedMemory m = new CapturedMemory(); // reused from call to call, as the import does
        for (int trial = 0; trial < 300; trial++) {
            m.clear();
            CapturedMemory fresh = new CapturedMemory();
            long addr = 0x5000_0000L;
            int bytes = 8 * (1 + rnd.nextInt(600)) + rnd.nextInt(8);
            m.bitmap(addr, bytes);
            fresh.bitmap(addr, bytes);
            for (int b = rnd.nextInt(12); b > 0; b--) {
                long[] w = new long[1 + rnd.nextInt(8)];
                for (int i = 0; i < w.length; i++) {
                    w[i] = rnd.nextInt(3) == 0 ? 0 : rnd.nextLong();
                }
                long at = addr + 8L * rnd.nextInt(bytes / 8 + 2); // may run past the end
                m.block(at, w, 0, w.length);
                fresh.block(at, w, 0, w.length);
            }
            BitmapRequest r = new BitmapRequest(addr, 8L * bytes - rnd.nextInt(8), 1000, 4096);
            assertThat(words(m, r)).as("trial %d", trial).containsExactlyElementsOf(words(everyWord(fresh), r));
        }
    }
}
