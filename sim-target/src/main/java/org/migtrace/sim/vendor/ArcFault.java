package org.migtrace.sim.vendor;

import java.util.Locale;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.MigState;

/**
 * A failure injected into one driver arc: when the driver is asked to step {@code from → to}
 * (one hop of a {@code MIG_DEVICE_STATE} SET), the step fails with {@code errno} instead of
 * happening. The device stays at {@code from}, or falls into ERROR when {@code intoError} is set
 * (what pds-vfio-pci does after a firmware failure); the SET returns the errno.
 *
 * @param from      the state the arc leaves
 * @param to        the state the arc enters
 * @param errno     what the arc fails with
 * @param intoError whether the device falls into ERROR
 * @param times     how many times the fault fires; 0 for every time
 */
public record ArcFault(MigState from, MigState to, Errno errno, boolean intoError, int times) {

    public ArcFault {
        if (from == null || to == null || errno == null) {
            throw new IllegalArgumentException("arc fault needs from, to and errno");
        }
        if (from == to || from == MigState.ERROR || to == MigState.ERROR) {
            throw new IllegalArgumentException("not a driver arc: " + from + ">" + to);
        }
        if (times < 0) {
            throw new IllegalArgumentException("negative times " + times);
        }
    }

    /** The arc fails every time with {@code errno}; the device stays where it was. */
    public static ArcFault fails(MigState from, MigState to, Errno errno) {
        return new ArcFault(from, to, errno, false, 0);
    }

    /** The arc fails every time with {@code errno} and the device falls into ERROR. */
    public static ArcFault failsIntoError(MigState from, MigState to, Errno errno) {
        return new ArcFault(from, to, errno, true, 0);
    }

    /** The same fault, firing only the first {@code n} times. */
    public ArcFault times(int n) {
        return new ArcFault(from, to, errno, intoError, n);
    }

    /**
     * Parses {@code FROM>TO:ERRNO[:error][:xN]}, e.g. {@code STOP>STOP_COPY:EIO},
     * {@code RUNNING_P2P>STOP:ETIMEDOUT:error}, {@code STOP>RESUMING:ENOMEM:x1}.
     *
     * @throws IllegalArgumentException saying what part is wrong
     */
    public static ArcFault parse(String spec) {
        String[] parts = spec.trim().split(":");
        String[] arc = parts[0].split(">");
        if (parts.length < 2 || arc.length != 2) {
            throw new IllegalArgumentException("arc fault '" + spec + "': expected FROM>TO:ERRNO[:error][:xN]");
        }
        MigState from = state(arc[0], spec);
        MigState to = state(arc[1], spec);
        Errno errno;
        try {
            errno = Errno.valueOf(parts[1].trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("arc fault '" + spec + "': unknown errno " + parts[1], e);
        }
        boolean intoError = false;
        int times = 0;
        for (int i = 2; i < parts.length; i++) {
            String p = parts[i].trim().toLowerCase(Locale.ROOT);
            if (p.equals("error")) {
                intoError = true;
            } else if (p.startsWith("x")) {
                times = Integer.parseInt(p.substring(1));
            } else {
                throw new IllegalArgumentException("arc fault '" + spec + "': unknown option " + parts[i]);
            }
        }
        return new ArcFault(from, to, errno, intoError, times);
    }

    private static MigState state(String name, String spec) {
        try {
            return MigState.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("arc fault '" + spec + "': unknown state " + name, e);
        }
    }

    @Override
    public String toString() {
        return from + ">" + to + ":" + errno + (intoError ? ":error" : "") + (times > 0 ? ":x" + times : "");
    }
}
