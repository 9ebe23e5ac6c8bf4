package org.migtrace.replay.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.migtrace.sim.SimClock;
import org.migtrace.sim.SimHost;

/** A call's struct buffers: zero-filled, one per struct, handed out again to later calls. */
class VmmProcessTest {
    private final VmmProcess proc = new VmmProcess(new SimHost("src", new SimClock()).spawn("qemu", 4242));

    @Test
    void aBufferAnEarlierCallUsedComesBackZeroed() {
        long first = proc.callBuffer(24);
        proc.mem().putLong(first, -1);
        proc.mem().putLong(first + 16, 0x1234);
        proc.endCall();

        long again = proc.callBuffer(24);
        assertThat(again).isEqualTo(first);
        assertThat(proc.mem().copyFrom(again, 24)).containsOnly(0);
    }

    @Test
    void buffersOfOneCallAreDistinctAndSizedAsAsked() {
        long a = proc.callBuffer(24);
        long b = proc.callBuffer(24);
        long c = proc.callBuffer(40);
        assertThat(a).isNotEqualTo(b);
        proc.endCall();
        assertThat(proc.callBuffer(40)).isEqualTo(c);
        long d = proc.callBuffer(24);
        long e = proc.callBuffer(24);
        assertThat(java.util.Set.of(d, e)).containsExactlyInAnyOrder(a, b);
        assertThat(proc.mem().read(d + 24, new byte[1], 0, 1)).as("past the struct: no memory").isFalse();
    }

    /**
     * A VMM that allocates each sync's bitmap anew: the replay's buffers, one per recorded address,
     * are freed least recently used first once they pass their bound, so memory does not grow with
     * the syncs; a buffer in use keeps its content.
     */
    @Test
    void bitmapBuffersOfOldSyncsAreFreedPastTheBound() {
        VmmProcess small = new VmmProcess(new SimHost("src", new SimClock()).spawn("qemu", 4243), 3 << 20);
        long[] at = new long[6];
        for (int sync = 0; sync < 6; sync++) {
            at[sync] = small.bitmapBuffer(0x7f00_0000_0000L + ((long) sync << 24), 1 << 20, "dev" + (sync % 2));
            small.mem().putLong(at[sync], 0xd1d1L + sync);
            if (sync == 3) {
                small.bitmapBuffer(0x7f00_0000_0000L + (1L << 24), 1 << 20, "dev0"); // sync 1's buffer used again
            }
        }
        // 6 buffers of 1 MiB under a 3 MiB bound: the three used last stay (1, used again after 3; 4; 5)
        assertThat(small.mem().regionAt(at[0])).as("sync 0's buffer").isNull();
        assertThat(small.mem().regionAt(at[2])).as("sync 2's buffer").isNull();
        assertThat(small.mem().regionAt(at[3])).as("sync 3's buffer").isNull();
        assertThat(small.mem().getLong(at[4])).isEqualTo(0xd1d1L + 4);
        assertThat(small.mem().getLong(at[5])).isEqualTo(0xd1d1L + 5);
        assertThat(small.mem().regionAt(at[1])).as("sync 1's buffer, used again").isNotNull();

        long again = small.bitmapBuffer(0x7f00_0000_0000L, 1 << 20, "dev0");
        assertThat(small.mem().copyFrom(again, 16)).as("a freed address used again starts zeroed").containsOnly(0);
    }

    @Test
    void atMostSixteenBitmapBuffersAreKeptHoweverSmall() {
        long[] at = new long[20];
        for (int sync = 0; sync < 20; sync++) {
            at[sync] = proc.bitmapBuffer(0x7f00_0000_0000L + ((long) sync << 16), 4096, "dev0");
        }
        for (int sync = 0; sync < 20; sync++) {
            boolean freed = proc.mem().regionAt(at[sync]) == null;
            assertThat(freed).as("sync %d's buffer freed", sync).isEqualTo(sync < 4);
        }
    }

    @Test
    void aLargeBufferIsFreedNotKept() {
        long big = proc.callBuffer(1 << 20);
        proc.endCall();
        assertThat(proc.mem().regionAt(big)).as("a 1 MiB argument is not kept past its call").isNull();
        assertThat(proc.callBuffer(1 << 20)).isNotEqualTo(big);
    }
}
