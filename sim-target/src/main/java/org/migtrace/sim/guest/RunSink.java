package org.migtrace.sim.guest;

/** Receives runs of pages, relative to the range a pattern covers. */
@FunctionalInterface
public interface RunSink {
    void run(long firstPage, long pages);
}
