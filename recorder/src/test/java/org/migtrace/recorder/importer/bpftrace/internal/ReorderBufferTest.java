package org.migtrace.recorder.importer.bpftrace.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReorderBufferTest {

    /** The rule the buffer keeps, written the plain way: one heap by (entry time, arrival). */
    private static final class Reference {
        final PriorityQueue<Pending> held = new PriorityQueue<>(
                Comparator.comparingLong(Pending::tsNs).thenComparingLong(Pending::arrival));
        final List<Pending> released = new ArrayList<>();
        long clock = Long.MIN_VALUE;

        void add(Pending p, int maxHeld) {
            held.add(p);
            while (held.size() > maxHeld) {
                released.add(held.poll());
            }
        }

        void advance(long ns, long window) {
            clock = Math.max(clock, ns);
            while (!held.isEmpty() && held.peek().tsNs() < clock - window) {
                released.add(held.poll());
            }
        }
    }

    @Test
    void releasesInEntryOrderWhetherLinesComeInOrderOrLate() {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            long window = 1 + random.nextInt(50);
            int maxHeld = 1 + random.nextInt(40);
            double lateShare = random.nextDouble();
            Reference reference = new Reference();
            List<Pending> released = new ArrayList<>();
            ReorderBuffer buffer = new ReorderBuffer(window, maxHeld, released::add);
            long ts = 0;
            for (int arrival = 0; arrival < 500; arrival++) {
                ts += random.nextInt(3); // equal entry times too: arrival breaks the tie
                long entry = random.nextDouble() < lateShare ? ts - random.nextInt(80) : ts;
                Pending p = new Pending.Lost(entry, arrival, 1, arrival + 1);
                buffer.add(p);
                reference.add(p, maxHeld);
                if (random.nextInt(4) == 0) {
                    long exit = ts + random.nextInt(20);
                    buffer.advance(exit);
                    reference.advance(exit, window);
                }
                assertThat(buffer.size()).isEqualTo(reference.held.size());
            }
            buffer.drain();
            while (!reference.held.isEmpty()) {
                reference.released.add(reference.held.poll());
            }
            assertThat(released).as("round %d", round).containsExactlyElementsOf(reference.released);
        }
    }
}
