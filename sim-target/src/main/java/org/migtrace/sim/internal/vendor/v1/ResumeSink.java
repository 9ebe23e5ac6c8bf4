package org.migtrace.sim.internal.vendor.v1;

import org.migtrace.sim.vendor.V1DeviceConfig;
import org.migtrace.uapi.Errno;

/**
 * The resume side of the data window (uAPI RESUMING steps a–c): the user reads data_offset, writes a
 * chunk there, then writes data_size, and the driver consumes the chunk during that write. The data
 * is opaque and, through an mmap, not even visible to the driver; what the model checks is sizes: a
 * chunk must fit the window, and leaving RESUMING needs at least one stop-and-copy image worth of
 * bytes (the NDMA RFC: clearing RESUMING performs "final validity and consistency checking" and must
 * fail the write if the data is incomplete).
 */
final class ResumeSink {
    private final V1DeviceConfig config;
    private long consumed;
    private long lastSize;

    ResumeSink(V1DeviceConfig config) {
        this.config = config;
    }

    /** Entering RESUMING: the driver reinitialises the device for incoming data. */
    void begin() {
        consumed = 0;
        lastSize = 0;
    }

    long consumed() {
        return consumed;
    }

    /** data_offset read while RESUMING: always the window start (libvfio-user asks the device each time). */
    long dataOffset() {
        return config.dataOffset();
    }

    /**
     * data_size write while RESUMING: consumes {@code size} bytes at the window start. A chunk larger
     * than the window cannot have been written there → {@code -EINVAL}; 0 consumes nothing.
     */
    long consume(long size) {
        if (Long.compareUnsigned(size, config.dataWindowBytes()) > 0) {
            return Errno.EINVAL.ret();
        }
        if (size > 0) {
            consumed += size;
        }
        lastSize = size;
        return 0;
    }

    /**
     * data_size read while RESUMING: the last value written. libvfio-user leaves the answer unset
     * here; the uAPI calls the field read/write, so the driver returns its register.
     */
    long lastSize() {
        return lastSize;
    }

    /** Final check when RESUMING is cleared: {@code EINVAL} for an incomplete image, else null. */
    Errno validate() {
        return config.validateResume() && consumed < config.stopCopyBytes() ? Errno.EINVAL : null;
    }
}
