package org.migtrace.sim.run;

import java.util.Locale;

/**
 * How a simulated migration ended and why, computed from the run's data.
 *
 * @param converged          whether the guest ended up running on the destination
 * @param iteration          the sync at which it switched over (or failed, or was cancelled); 0 when
 *                           it never got past setup
 * @param reason             the kind of outcome
 * @param message            one sentence with the numbers behind the reason
 * @param downtimeNs         VM stop on the source to VM start on the destination; 0 unless converged
 * @param neededBandwidth    for a migration that did not converge: the bandwidth (bytes/s) at which the
 *                           smallest pending seen would have passed the switchover test with this
 *                           downtime limit; 0 when not applicable
 * @param neededDowntimeNs   likewise, the downtime limit that would have sufficed at this bandwidth
 * @param device             for a device error: the device; "" otherwise
 * @param operation          for a device error: what failed ({@code PRE_COPY_P2P>STOP_COPY}, {@code read}, ...)
 * @param errno              for a device error: the errno's name
 */
public record Verdict(boolean converged, int iteration, Reason reason, String message, long downtimeNs,
                      long neededBandwidth, long neededDowntimeNs, String device, String operation, String errno) {

    /** Why a migration ended as it did. */
    public enum Reason {
        /** Pending passed the switchover test and the guest runs on the destination. */
        CONVERGED,
        /** The guest and its devices dirty memory at least as fast as the migration sends it. */
        DIRTY_RATE,
        /** The devices' stop-copy state alone exceeds bandwidth × downtime limit. */
        STOP_COPY_SIZE,
        /** Every page was reported dirty at every pass: nothing tracks the devices' DMA. */
        NO_DIRTY_TRACKING,
        /** Pending did not shrink over the last passes. */
        NOT_SHRINKING,
        /** Pending was still shrinking when the step limit ({@code max-iterations}) was reached. */
        STEP_LIMIT,
        /** A device operation failed; the migration failed and the VM runs on the source. */
        DEVICE_ERROR,
        /** QEMU refused to migrate (a migration blocker, or QEMU could not start). */
        BLOCKED;

        /** {@code converged}, {@code dirty-rate}, {@code stop-copy-size}, ... */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }
}
