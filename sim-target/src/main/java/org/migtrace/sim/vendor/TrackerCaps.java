package org.migtrace.sim.vendor;

/**
 * The mlx5 page tracker's device capabilities ({@code MLX5_CAP_ADV_VIRTUALIZATION}), which bound
 * what {@code VFIO_DEVICE_FEATURE_DMA_LOGGING_START} can ask of it ({@code mlx5vf_start_page_tracker},
 * {@code mlx5vf_create_tracker}). They are firmware values, not kernel constants: the defaults are
 * a model's choice, stated here so a scenario can match a real card.
 *
 * @param maxRanges       {@code pg_track_max_num_range}: more ranges are merged with
 *                        {@code vfio_combine_iova_ranges} (smallest gaps first)
 * @param logMinPageSize  {@code pg_track_log_min_page_size}: smaller requested page sizes are raised to it
 * @param logMaxPageSize  {@code pg_track_log_max_page_size}: larger ones are lowered to it
 * @param logMinAddrSpace {@code pg_track_log_min_addr_space}: total tracked length (rounded up to
 *                        a power of two) below it fails with EOPNOTSUPP
 * @param logMaxAddrSpace {@code pg_track_log_max_addr_space}: above it, EOPNOTSUPP
 */
public record TrackerCaps(int maxRanges, int logMinPageSize, int logMaxPageSize, int logMinAddrSpace,
                          int logMaxAddrSpace) {
    /** 4 ranges, 4 KiB to 1 GiB pages, 4 KiB to 4 TiB of tracked address space. */
    public static final TrackerCaps DEFAULT = new TrackerCaps(4, 12, 30, 12, 42);

    public TrackerCaps {
        if (maxRanges < 1 || logMinPageSize < 12 || logMaxPageSize < logMinPageSize || logMaxPageSize > 63
                || logMinAddrSpace < 0 || logMaxAddrSpace < logMinAddrSpace || logMaxAddrSpace > 63) {
            throw new IllegalArgumentException("inconsistent tracker capabilities " + maxRanges + "/" + logMinPageSize
                    + ".." + logMaxPageSize + "/" + logMinAddrSpace + ".." + logMaxAddrSpace);
        }
    }
}
