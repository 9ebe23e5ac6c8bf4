package org.migtrace.sim.internal.vendor.v1;

import org.migtrace.sim.vendor.V1DeviceConfig;
import org.migtrace.uapi.Errno;

/**
 * The save-side register protocol (uAPI steps a–f: pending_bytes, data_offset, data_size, data,
 * pending_bytes again) as libvfio-user's v1 server runs it: a four-state iteration FSM
 * ({@code enum migr_iter_state} in {@code lib/migration_priv.h}; {@code handle_pending_bytes},
 * {@code handle_data_offset_when_saving}, {@code handle_data_size_when_saving} in
 * {@code lib/migration.c}), reset to INITIAL by every successful device_state write
 * ({@code migr_trans_to_valid_state}).
 *
 * <ul>
 *   <li>INITIAL / DATA_PREPARED + read pending_bytes: ask the device; 0 → FINISHED, else STARTED
 *       (reading it after a chunk is what acknowledges the chunk).</li>
 *   <li>STARTED + read pending_bytes: the cached value, no side effect (uAPI step a).</li>
 *   <li>FINISHED + read pending_bytes: 0, until the next device_state write, even if a running
 *       device has dirtied more since (libvfio-user returns 0 without asking the device).</li>
 *   <li>STARTED + read data_offset: the trigger, a chunk is made available → DATA_PREPARED;
 *       DATA_PREPARED + read data_offset: the same chunk again (uAPI step c); otherwise EINVAL
 *       ("reading data_offset out of sequence is undefined").</li>
 *   <li>read data_size in STARTED or DATA_PREPARED: the size of the last prepared chunk; in
 *       STARTED that is the previous chunk's size (libvfio-user's own FIXME: data_size read before
 *       data_offset does not prepare anything); otherwise EINVAL.</li>
 * </ul>
 */
final class SaveIteration {
    /** {@code enum migr_iter_state}. */
    enum State { INITIAL, STARTED, DATA_PREPARED, FINISHED }

    private final V1DeviceConfig config;
    private final SaveStream stream;
    private State state = State.INITIAL;
    private long cachedPending;
    private SaveStream.Chunk chunk = SaveStream.Chunk.NONE;

    SaveIteration(V1DeviceConfig config, SaveStream stream) {
        this.config = config;
        this.stream = stream;
    }

    State state() {
        return state;
    }

    /**
     * A device_state write succeeded ({@code migr_trans_to_valid_state}): back to INITIAL. A chunk
     * prepared but not yet acknowledged by a pending_bytes read goes back to the stream, so a write
     * that keeps the saving phase (toggling NDMA, rewriting the same state) loses no data; a write
     * that changes the phase starts a new stream anyway.
     */
    void restart() {
        if (state == State.DATA_PREPARED) {
            stream.giveBack(chunk);
        }
        state = State.INITIAL;
    }

    /** Device reset: no iteration, no chunk. */
    void reset() {
        state = State.INITIAL;
        cachedPending = 0;
        chunk = SaveStream.Chunk.NONE;
    }

    /**
     * A read of pending_bytes. libvfio-user does not look at device_state here, so a read while not
     * SAVING also runs the FSM; the device has nothing to give then, so it reads 0 (the uAPI calls
     * the value undefined when !SAVING).
     */
    long readPending(long nowNs, boolean saving) {
        switch (state) {
            case FINISHED:
                return 0;
            case STARTED:
                return cachedPending;
            default:
                cachedPending = saving ? stream.available(nowNs) : 0;
                state = cachedPending == 0 ? State.FINISHED : State.STARTED;
                return cachedPending;
        }
    }

    /** A read of data_offset while SAVING: the window offset, or {@code -EINVAL} out of sequence. */
    long readDataOffset(long nowNs) {
        if (state == State.STARTED) {
            chunk = stream.take(nowNs, config.chunkLimit());
            state = State.DATA_PREPARED;
        } else if (state != State.DATA_PREPARED) {
            return Errno.EINVAL.ret();
        }
        return config.dataOffset();
    }

    /** A read of data_size while SAVING: the last prepared chunk's size, or {@code -EINVAL}. */
    long readDataSize() {
        if (state != State.STARTED && state != State.DATA_PREPARED) {
            return Errno.EINVAL.ret();
        }
        return chunk.size();
    }

    /**
     * Data window read of {@code dst.length} bytes at {@code rel} bytes into the window. Only the
     * prepared chunk can be read (libvfio-user's sample server fails any read that is not the
     * prepared data with EINVAL); the uAPI lets the user split the read ("must not be required to
     * collect the data in a single operation"), so any sub-range of the chunk is fine.
     */
    long readData(long rel, byte[] dst) {
        if (state != State.DATA_PREPARED || rel + dst.length > chunk.size()) {
            return Errno.EINVAL.ret();
        }
        SaveStream.content(config.seed(), chunk.stream(), chunk.pos() + rel, dst);
        return dst.length;
    }
}
