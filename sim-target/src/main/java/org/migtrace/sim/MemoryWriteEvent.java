package org.migtrace.sim;

/**
 * Memory was written: by guest CPUs (addresses are guest-physical) or by a device's DMA (addresses
 * are IOVAs). One event covers one batch of runs; {@code starts[i], lengths[i]} in bytes.
 *
 * @param host     host
 * @param tsNs     virtual time
 * @param actor    {@code cpu} or {@code dma}
 * @param device   for DMA: the device name; null for CPU writes
 * @param starts   run starts (GPA or IOVA)
 * @param lengths  run lengths in bytes
 * @param dropped  for DMA: bytes the IOMMU faulted (no mapping); 0 otherwise
 */
public record MemoryWriteEvent(String host, long tsNs, String actor, String device, long[] starts, long[] lengths,
                               long dropped) {
    /** Total bytes written. */
    public long bytes() {
        long n = 0;
        for (long l : lengths) {
            n += l;
        }
        return n;
    }
}
