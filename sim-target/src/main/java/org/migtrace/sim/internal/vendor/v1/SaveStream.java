package org.migtrace.sim.internal.vendor.v1;

import java.math.BigInteger;
import org.migtrace.sim.vendor.V1DeviceConfig;

/**
 * The device state a v1 device has to give while SAVING, as a byte count that depends only on the
 * configuration and virtual time: stop-and-copy hands out exactly {@code stopCopyBytes}; pre-copy
 * hands out {@code precopyInitialBytes} plus what the running device dirties at
 * {@code dirtyBytesPerSecond}. Each entry into a saving phase starts a new stream (numbered, so the
 * opaque bytes of two streams differ); what the user did not collect of the previous one is dropped,
 * as the uAPI allows ("The user must not be required to consume all migration data before the device
 * transitions to a new state").
 */
final class SaveStream {
    private static final BigInteger NS_PER_S = BigInteger.valueOf(1_000_000_000L);

    /** Which data the device is producing. */
    enum Phase { NONE, PRE_COPY, STOP_COPY }

    /** One chunk handed out: bytes {@code [pos, pos + size)} of stream {@code stream}. */
    record Chunk(long stream, long pos, long size) {
        static final Chunk NONE = new Chunk(0, 0, 0);
    }

    private final V1DeviceConfig config;
    private Phase phase = Phase.NONE;
    private long startNs;
    private long handedOut;
    private long streams;

    SaveStream(V1DeviceConfig config) {
        this.config = config;
    }

    /** Moves to {@code next}; a new saving phase starts a new stream at {@code nowNs}. */
    void enter(Phase next, long nowNs) {
        if (next == phase) {
            return;
        }
        phase = next;
        startNs = nowNs;
        handedOut = 0;
        if (next != Phase.NONE) {
            streams++;
        }
    }

    /** Bytes the device could hand out now. */
    long available(long nowNs) {
        switch (phase) {
            case STOP_COPY:
                return config.stopCopyBytes() - handedOut;
            case PRE_COPY:
                return saturatedAdd(config.precopyInitialBytes(), dirtied(nowNs - startNs)) - handedOut;
            default:
                return 0;
        }
    }

    /** Makes the next chunk available: at most {@code limit} bytes of what is available now. */
    Chunk take(long nowNs, long limit) {
        long n = Math.min(limit, available(nowNs));
        Chunk c = new Chunk(streams, handedOut, n);
        handedOut += n;
        return c;
    }

    /**
     * Returns a chunk the user never acknowledged, if it is the last one taken from the current
     * stream: the next data_offset read offers the same bytes again.
     */
    void giveBack(Chunk c) {
        if (phase != Phase.NONE && c.stream() == streams && c.pos() + c.size() == handedOut) {
            handedOut = c.pos();
        }
    }

    /** Device reset: no stream. */
    void reset() {
        phase = Phase.NONE;
        handedOut = 0;
    }

    /** Bytes dirtied in {@code elapsedNs} at the configured rate, rounded down, saturating. */
    private long dirtied(long elapsedNs) {
        if (elapsedNs <= 0 || config.dirtyBytesPerSecond() == 0) {
            return 0;
        }
        BigInteger b = BigInteger.valueOf(config.dirtyBytesPerSecond()).multiply(BigInteger.valueOf(elapsedNs))
                .divide(NS_PER_S);
        return b.bitLength() < 63 ? b.longValue() : Long.MAX_VALUE;
    }

    private static long saturatedAdd(long a, long b) {
        long s = a + b;
        return s < 0 ? Long.MAX_VALUE : s;
    }

    /**
     * The opaque bytes of a stream: {@code dst[i]} is byte {@code pos + i} of stream {@code stream}
     * (a SplitMix64 word per 8 bytes), so the same chunk read twice gives the same bytes.
     */
    static void content(long seed, long stream, long pos, byte[] dst) {
        for (int i = 0; i < dst.length; i++) {
            long p = pos + i;
            long word = mix(seed ^ (stream * 0x9E3779B97F4A7C15L) ^ (p >>> 3));
            dst[i] = (byte) (word >>> ((p & 7) << 3));
        }
    }

    private static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
