package org.migtrace.replay.variant;

import org.migtrace.replay.spi.Outcome;

/**
 * {@code VFIO_MIG_GET_PRECOPY_INFO} under-reports {@code dirty_bytes}: it counts only what the
 * device has not yet staged, leaving out the data already sitting in the migration file, so QEMU
 * thinks little is pending and switches over with more to send than it planned (a longer downtime).
 * mlx5's bug, fixed by Linux 4928f67bc911 ("vfio/mlx5: Fix the report of dirty_bytes upon
 * pre-copy"), which adds the file's pending bytes to the device's. Modelled as the extreme of the
 * bug: everything pending is already staged, so {@code dirty_bytes} reads 0.
 */
public final class PrecopyDirtyBytes extends Variant {
    @Override
    public String name() {
        return "precopy-dirty-bytes";
    }

    @Override
    public String description() {
        return "PRECOPY_INFO dirty_bytes leaves out the data already staged in the file (Linux 4928f67bc911, mlx5)";
    }

    @Override
    public String bug() {
        return "Linux 4928f67bc911";
    }

    @Override
    protected Behaviour behaviour() {
        return (s, ref) -> {
            Outcome o = ref.apply(s);
            if (s.isSyscall() && "VFIO_MIG_GET_PRECOPY_INFO".equals(s.event().op()) && o.values().containsKey("dirty_bytes")) {
                return o.withValue("dirty_bytes", "0");
            }
            return o;
        };
    }
}
