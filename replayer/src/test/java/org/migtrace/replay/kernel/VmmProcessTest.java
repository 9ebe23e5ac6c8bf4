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

    @Test
    void aLargeBufferIsFreedNotKept() {
        long big = proc.callBuffer(1 << 20);
        proc.endCall();
        assertThat(proc.mem().regionAt(big)).as("a 1 MiB argument is not kept past its call").isNull();
        assertThat(proc.callBuffer(1 << 20)).isNotEqualTo(big);
    }
}
