package org.migtrace.trace;

/** One row of the iterations table; fields as {@link IterationColumn} documents them. */
public record IterationRow(long seq, long tsNs, String host, int iteration, long timeNs, long durationNs,
                           long dirtyPagesCpu, long dirtyPagesDevice, long newDirtyPages, long bytesSent,
                           long deviceBytesSent, long bandwidth, long pendingBytes, long devicePendingBytes,
                           long thresholdBytes, String decision) {
}
