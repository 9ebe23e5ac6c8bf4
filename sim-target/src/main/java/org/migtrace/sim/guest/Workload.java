package org.migtrace.sim.guest;

/**
 * Something that writes guest memory over virtual time: the vCPUs, or one device's DMA. Stepped
 * over windows; each window writes what the rate gives for it (see {@link RateSchedule}), so the
 * result depends only on the scenario, the seed and the window boundaries' union.
 */
public interface Workload {
    /** A stable name: {@code cpu}, {@code dma:0000:3b:00.1}. */
    String name();

    /**
     * Writes what the workload writes during {@code [fromNs, toNs)}.
     *
     * @return page writes issued in the window
     */
    long advance(long fromNs, long toNs);

    /** Page writes issued so far (a page written twice counts twice). */
    long pagesWritten();
}
