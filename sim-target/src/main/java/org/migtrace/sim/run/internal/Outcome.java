package org.migtrace.sim.run.internal;

/**
 * How the migration thread's work ended, before the verdict is worked out.
 *
 * @param kind        completed, failed, cancelled, or blocked (never started)
 * @param iteration   the last sync
 * @param downtimeNs  for a completed migration
 * @param lostPages   for a completed migration: the source's write log after the last copy
 * @param endNs       virtual time of the end
 * @param message     for a blocked migration: QEMU's message
 * @param failure     for a failed migration (or a start-up failure): the first failure
 */
record Outcome(Kind kind, int iteration, long downtimeNs, long lostPages, long endNs, String message, Failure failure) {
    enum Kind {
        COMPLETED, FAILED, CANCELLED, BLOCKED
    }

    static Outcome blocked(String message, Failure failure) {
        return new Outcome(Kind.BLOCKED, 0, 0, 0, 0, message, failure);
    }
}
