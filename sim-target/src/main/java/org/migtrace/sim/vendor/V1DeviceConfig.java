package org.migtrace.sim.vendor;

import java.util.List;
import java.util.Objects;
import org.migtrace.sim.mem.UserMemory;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.V1State;

/**
 * A device that migrates with the v1 protocol (kernel 5.8 – 5.17): vfio-pci core plus a
 * {@code VFIO_REGION_TYPE_MIGRATION} region whose register block and data window carry the device
 * state. No in-tree kernel driver ever implemented v1, so where the uAPI text leaves a choice the
 * simulated driver follows libvfio-user's v1 server ({@code lib/migration.c}, 2021–2022) and says
 * so; the options below select between the documented alternatives.
 *
 * <p>Device state size model (deterministic, virtual time only): entering stop-and-copy
 * ({@code SAVING} without {@code RUNNING}) makes exactly {@link #stopCopyBytes} available; entering
 * pre-copy ({@code RUNNING|SAVING}) makes {@link #precopyInitialBytes} available at once and
 * {@link #dirtyBytesPerSecond} more for every second of virtual time spent there. Each chunk (one
 * {@code data_offset} read) carries at most {@link #maxChunkBytes}, and never more than the data
 * window holds.
 *
 * @param model               model name in traces ({@code v1-sim})
 * @param bar0Size            size of BAR0 (a power of two)
 * @param ndma                implement the NDMA bit of the Dec 2021 RFC and advertise
 *                            {@code VFIO_REGION_INFO_CAP_MIG_NDMA}; device_state values are then
 *                            judged by the RFC's rules instead of the merged macros
 * @param transitions         which transitions between valid states the driver accepts
 * @param onFailure           where a failed transition leaves the device
 * @param stopCopyBytes       bytes of device state handed out in stop-and-copy
 * @param precopyInitialBytes bytes available as soon as pre-copy starts
 * @param dirtyBytesPerSecond pre-copy data the running device adds per second of virtual time
 * @param maxChunkBytes       upper bound of one chunk
 * @param dataOffset          where the data window starts in the region (at least 32, the register
 *                            block; page aligned when {@code mmapData})
 * @param dataWindowBytes     size of the data window (the region ends with it)
 * @param mmapData            the data window may be mmapped (a sparse-mmap capability describes it)
 * @param validateResume      leaving RESUMING fails with {@code EINVAL} when fewer than
 *                            {@code stopCopyBytes} bytes were consumed (the RFC's "final validity
 *                            and consistency checking"); off: any amount is accepted
 * @param trap                a part of BAR0 the driver traps while SAVING (the 2020 i40e VF
 *                            proposal), or null
 * @param faults              transitions the device fails, with the errno it reports
 * @param seed                seeds the opaque bytes of the data stream
 */
public record V1DeviceConfig(
        String model,
        long bar0Size,
        boolean ndma,
        Transitions transitions,
        OnFailure onFailure,
        long stopCopyBytes,
        long precopyInitialBytes,
        long dirtyBytesPerSecond,
        long maxChunkBytes,
        long dataOffset,
        long dataWindowBytes,
        boolean mmapData,
        boolean validateResume,
        TrapArea trap,
        List<TransitionFault> faults,
        long seed) {

    /** {@code sizeof(struct vfio_device_migration_info)}. */
    public static final int REGISTER_BLOCK = 32;

    /** Which writes of a valid device_state the driver accepts. */
    public enum Transitions {
        /**
         * Any valid state from any state (the 5.15 header lists flows but forbids nothing; the NDMA
         * RFC: "Migration drivers should attempt to support any transition between valid states").
         */
        ANY_VALID,
        /**
         * libvfio-user's {@code migr_states[]} table ({@code lib/migration_priv.h}), applied to the
         * low three bits, including its operator-precedence slip in the pre-copy row: pre-copy may go
         * to RUNNING but not to pre-copy.
         */
        LIBVFIO_USER
    }

    /** Where a device-side transition failure leaves device_state (the uAPI leaves it to the driver). */
    public enum OnFailure {
        /** The previous state. */
        KEEP_STATE,
        /** The error state 110b ({@code VFIO_DEVICE_STATE_SET_ERROR}), left only by VFIO_DEVICE_RESET. */
        ERROR_STATE
    }

    /** A page-aligned part of BAR0 that is trapped (not mmap-able) while SAVING. */
    public record TrapArea(long offset, long length) {
        public TrapArea {
            if (offset < 0 || length <= 0 || offset % UserMemory.PAGE_SIZE != 0 || length % UserMemory.PAGE_SIZE != 0) {
                throw new IllegalArgumentException("trap area must be whole pages: " + offset + "+" + length);
            }
        }

        public long end() {
            return offset + length;
        }

        /** Whether {@code [start, start + len)} touches the area. */
        public boolean overlaps(long start, long len) {
            return len > 0 && start < end() && offset < start + len;
        }
    }

    /** The device fails the transition {@code from → to} (full device_state values) with {@code errno}. */
    public record TransitionFault(int from, int to, Errno errno) {
        public TransitionFault {
            Objects.requireNonNull(errno, "errno");
            if ((from & ~V1State.MASK_NDMA) != 0 || (to & ~V1State.MASK_NDMA) != 0) {
                throw new IllegalArgumentException("device_state values are 4 bits: " + from + " -> " + to);
            }
        }
    }

    public V1DeviceConfig {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(transitions, "transitions");
        Objects.requireNonNull(onFailure, "onFailure");
        faults = List.copyOf(faults);
        if (bar0Size < UserMemory.PAGE_SIZE || Long.bitCount(bar0Size) != 1) {
            throw new IllegalArgumentException("BAR0 size must be a power of two of at least a page: " + bar0Size);
        }
        if (stopCopyBytes < 0 || precopyInitialBytes < 0 || dirtyBytesPerSecond < 0 || maxChunkBytes <= 0) {
            throw new IllegalArgumentException("negative size, or a chunk limit of zero");
        }
        if (dataOffset < REGISTER_BLOCK || dataWindowBytes <= 0 || dataOffset + dataWindowBytes > (1L << 40)) {
            throw new IllegalArgumentException("the data window must follow the register block and fit the region");
        }
        if (mmapData && dataOffset % UserMemory.PAGE_SIZE != 0) {
            // 5.15 uapi: "If mmapped, data_offset must be page aligned"
            throw new IllegalArgumentException("an mmap-able data window must start page aligned: " + dataOffset);
        }
        if (trap != null && trap.end() > bar0Size) {
            throw new IllegalArgumentException("trap area outside BAR0");
        }
    }

    /** Which device_state rules judge a written value. */
    public V1State.Rules rules() {
        return ndma ? V1State.Rules.NDMA_RFC : V1State.Rules.MERGED;
    }

    /** The bits a written device_state may have: RUNNING, SAVING, RESUMING, and NDMA when supported. */
    public int supportedBits() {
        return ndma ? V1State.MASK_NDMA : V1State.MASK;
    }

    /** Migration region size: register block, gap, data window. */
    public long regionSize() {
        return dataOffset + dataWindowBytes;
    }

    /** The largest chunk one data_offset read can make available. */
    public long chunkLimit() {
        return Math.min(maxChunkBytes, dataWindowBytes);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().model(model).bar0Size(bar0Size).ndma(ndma).transitions(transitions).onFailure(onFailure)
                .stopCopyBytes(stopCopyBytes).precopyInitialBytes(precopyInitialBytes)
                .dirtyBytesPerSecond(dirtyBytesPerSecond).maxChunkBytes(maxChunkBytes).dataOffset(dataOffset)
                .dataWindowBytes(dataWindowBytes).mmapData(mmapData).validateResume(validateResume).trap(trap)
                .faults(faults).seed(seed);
    }

    /** Defaults: 64 KiB BAR0, merged rules, any valid transition, failures keep the state, 64 KiB image. */
    public static final class Builder {
        private String model = "v1-sim";
        private long bar0Size = 64 * 1024;
        private boolean ndma;
        private Transitions transitions = Transitions.ANY_VALID;
        private OnFailure onFailure = OnFailure.KEEP_STATE;
        private long stopCopyBytes = 64 * 1024;
        private long precopyInitialBytes = 16 * 1024;
        private long dirtyBytesPerSecond;
        private long maxChunkBytes = 16 * 1024;
        private long dataOffset = UserMemory.PAGE_SIZE;
        private long dataWindowBytes = 16 * 1024;
        private boolean mmapData;
        private boolean validateResume = true;
        private TrapArea trap;
        private List<TransitionFault> faults = List.of();
        private long seed;

        private Builder() {
        }

        public Builder model(String v) { model = v; return this; }
        public Builder bar0Size(long v) { bar0Size = v; return this; }
        public Builder ndma(boolean v) { ndma = v; return this; }
        public Builder transitions(Transitions v) { transitions = v; return this; }
        public Builder onFailure(OnFailure v) { onFailure = v; return this; }
        public Builder stopCopyBytes(long v) { stopCopyBytes = v; return this; }
        public Builder precopyInitialBytes(long v) { precopyInitialBytes = v; return this; }
        public Builder dirtyBytesPerSecond(long v) { dirtyBytesPerSecond = v; return this; }
        public Builder maxChunkBytes(long v) { maxChunkBytes = v; return this; }
        public Builder dataOffset(long v) { dataOffset = v; return this; }
        public Builder dataWindowBytes(long v) { dataWindowBytes = v; return this; }
        public Builder mmapData(boolean v) { mmapData = v; return this; }
        public Builder validateResume(boolean v) { validateResume = v; return this; }
        public Builder trap(TrapArea v) { trap = v; return this; }
        public Builder faults(List<TransitionFault> v) { faults = v; return this; }
        public Builder seed(long v) { seed = v; return this; }

        public V1DeviceConfig build() {
            return new V1DeviceConfig(model, bar0Size, ndma, transitions, onFailure, stopCopyBytes, precopyInitialBytes,
                    dirtyBytesPerSecond, maxChunkBytes, dataOffset, dataWindowBytes, mmapData, validateResume, trap,
                    faults, seed);
        }
    }
}
