package org.migtrace.sim.internal.vendor;

import org.migtrace.sim.internal.kernel.KernelCtx;

/** The driver behind a {@link ResumeFile}: how it takes in and checks the stream. */
interface ResumeSink {
    /**
     * {@code write(2)} of {@code count} bytes at user address {@code buf} (already range-checked by
     * the VFS): bytes accepted, or {@code -errno}. Advances the file position as the driver does.
     */
    long write(KernelCtx ctx, ResumeFile file, long buf, long count);
}
