package org.migtrace.sim.run.internal;

import java.util.ArrayList;
import java.util.List;
import org.migtrace.sim.SimThread;
import org.migtrace.sim.guest.GuestMemory;
import org.migtrace.sim.guest.MemSlot;
import org.migtrace.sim.mem.Bitmap;
import org.migtrace.sim.mem.UserMemory;
import org.migtrace.sim.scenario.DeviceSpec;
import org.migtrace.sim.vmm.DeviceCalls;

/**
 * One VFIO container as QEMU holds it ({@code VFIOContainerBase}): the devices attached through it,
 * the guest RAM it maps for their DMA, and its part in dirty tracking ({@code hw/vfio/listener.c},
 * formerly {@code common.c}).
 *
 * <p>{@code vfio_listener_log_global_start} picks the tracking once per migration: device DMA
 * logging when every device of the container supports it ({@code DMA_LOGGING_START} with the RAM's
 * 32-bit and 64-bit IOVA ranges), else the container's own tracking (type1
 * {@code VFIO_IOMMU_DIRTY_PAGES}, IOMMUFD {@code IOMMU_HWPT_SET_DIRTY_TRACKING}) when it has one,
 * else none. At every sync, {@code vfio_get_dirty_bitmap} runs per RAM section: the devices' reports
 * or the container's bitmap, or, with no tracking at all, every page of the section marked dirty.
 */
abstract class VfioContainer {
    /** What reports the DMA of this container's devices. */
    enum Tracking {
        DEVICE_LOGGING, CONTAINER, NONE
    }

    /** One sync's result for this container: pages reported, pages newly dirty in the migration bitmap. */
    record Report(long ret, long reported, long newlyDirty) {
    }

    protected static final long PAGE_SIZE = GuestMemory.PAGE_SIZE;

    protected final SimThread main;
    protected final GuestMemory ram;
    protected final Failure.Latch failures;
    private final List<VmmDevice> devices = new ArrayList<>();
    /** The tracking in force: the chosen one from the migration's start until it is stopped. */
    private Tracking tracking = Tracking.NONE;
    /** The tracking chosen at the migration's start, still reported once stopped. */
    private Tracking chosen = Tracking.NONE;

    VfioContainer(SimThread main, GuestMemory ram, Failure.Latch failures) {
        this.main = main;
        this.ram = ram;
        this.failures = failures;
    }

    /** {@code type1} or {@code iommufd}. */
    abstract String backend();

    /**
     * Attaches device {@code d} (the {@code index}-th registered on the host) the way QEMU's
     * {@code attach_device} does, connecting the container and mapping guest RAM on first use.
     *
     * @return the device fd, or {@code -errno} (recorded)
     */
    abstract long attach(DeviceSpec d, int index);

    /** {@code bcontainer->dirty_pages_supported}. */
    abstract boolean dirtyPagesSupported();

    /** {@code set_dirty_page_tracking}: 0 or {@code -errno}. */
    abstract long setContainerTracking(SimThread t, boolean start);

    /** {@code query_dirty_bitmap} of one RAM section into the zeroed user bitmap at {@code ptr}. */
    abstract long queryContainer(SimThread t, MemSlot slot, long ptr, long bytes);

    void add(VmmDevice d) {
        devices.add(d);
    }

    List<VmmDevice> devices() {
        return devices;
    }

    /** The tracking chosen at the migration's start: {@code device-logging}, the backend, or {@code none}. */
    String trackingLabel() {
        switch (chosen) {
            case DEVICE_LOGGING: return "device-logging";
            case CONTAINER: return backend();
            default: return "none";
        }
    }

    protected long fail(String device, String op, long ret, String message) {
        return failures.fail(device, op, ret, message);
    }

    /** {@code vfio_listener_log_global_start}: 0 or {@code -errno} (recorded). */
    long startTracking(SimThread t) {
        boolean allLog = !devices.isEmpty();
        for (VmmDevice d : devices) {
            allLog &= d.dmaLoggingSupported();
        }
        if (allLog) {
            long ret = startDeviceLogging();
            return ret < 0 ? ret : started(Tracking.DEVICE_LOGGING);
        }
        if (dirtyPagesSupported()) {
            long ret = setContainerTracking(t, true);
            if (ret < 0) {
                return fail("", "set_dirty_page_tracking", ret, "Failed to start " + backend() + " dirty tracking");
            }
            return started(Tracking.CONTAINER);
        }
        return started(Tracking.NONE);
    }

    private long started(Tracking mode) {
        tracking = mode;
        chosen = mode;
        return 0;
    }

    /** {@code vfio_devices_dma_logging_start}: every device, the started ones stopped again on failure. */
    private long startDeviceLogging() {
        List<DeviceCalls.Range> ranges = loggingRanges();
        List<VmmDevice> started = new ArrayList<>();
        for (VmmDevice d : devices) {
            DeviceCalls.LogStart r = d.loggingCalls(true).loggingStart(PAGE_SIZE, ranges);
            if (r.ret() < 0) {
                for (VmmDevice s : started) {
                    s.loggingCalls(true).loggingStop();
                }
                return fail(d.name(), "DMA_LOGGING_START", r.ret(), d.name() + ": Failed to start DMA logging");
            }
            started.add(d);
        }
        return 0;
    }

    /**
     * {@code vfio_dirty_tracking_init}: the lowest and highest address of the RAM sections below
     * 4 GiB, and of those above, as at most two ranges.
     */
    private List<DeviceCalls.Range> loggingRanges() {
        long min32 = Long.MAX_VALUE;
        long max32 = -1;
        long min64 = Long.MAX_VALUE;
        long max64 = -1;
        for (MemSlot s : ram.slots()) {
            if (s.gpaEnd() <= 1L << 32) {
                min32 = Math.min(min32, s.gpa());
                max32 = Math.max(max32, s.gpaEnd() - 1);
            } else {
                min64 = Math.min(min64, s.gpa());
                max64 = Math.max(max64, s.gpaEnd() - 1);
            }
        }
        List<DeviceCalls.Range> out = new ArrayList<>();
        if (max32 >= 0) {
            out.add(new DeviceCalls.Range(min32, max32 - min32 + 1));
        }
        if (max64 >= 0) {
            out.add(new DeviceCalls.Range(min64, max64 - min64 + 1));
        }
        return out;
    }

    /** {@code vfio_listener_log_global_stop}. */
    void stopTracking(SimThread t) {
        if (tracking == Tracking.DEVICE_LOGGING) {
            for (VmmDevice d : devices) {
                d.loggingCalls(false).loggingStop();
            }
        } else if (tracking == Tracking.CONTAINER) {
            setContainerTracking(t, false);
        }
        tracking = Tracking.NONE;
    }

    /**
     * {@code vfio_listener_log_sync}: every RAM section's dirty pages into {@code migration}
     * (indexed by RAM-block page).
     */
    Report sync(SimThread t, Bitmap migration) {
        long reported = 0;
        long added = 0;
        for (MemSlot s : ram.slots()) {
            if (tracking == Tracking.NONE) {
                // cpu_physical_memory_set_dirty_range over the whole section
                reported += s.pages();
                added += s.pages() - migration.cardinality(s.firstRamPage(), s.pages());
                migration.setRange(s.firstRamPage(), s.pages());
                continue;
            }
            long words = Bitmap.wordsFor(s.pages());
            UserMemory mem = t.process().memory();
            long ptr = mem.malloc(words * 8);
            try {
                long ret = query(t, s, ptr, words * 8);
                if (ret < 0) {
                    return new Report(fail("", "query_dirty_bitmap", ret, "Failed to get dirty bitmap of section 0x"
                            + Long.toHexString(s.gpa())), reported, added);
                }
                long[] bits = new long[(int) words];
                mem.readLongs(ptr, bits, 0, (int) words);
                if ((s.pages() & 63) != 0) {
                    bits[bits.length - 1] &= (1L << s.pages()) - 1;
                }
                for (long w : bits) {
                    reported += Long.bitCount(w);
                }
                added += Bitmap.orAndCount(bits, migration.words(), s.firstRamPage());
            } finally {
                mem.free(ptr);
            }
        }
        return new Report(0, reported, added);
    }

    private long query(SimThread t, MemSlot s, long ptr, long bytes) {
        if (tracking == Tracking.CONTAINER) {
            return queryContainer(t, s, ptr, bytes);
        }
        // vfio_devices_query_dirty_bitmap: every device reports into the same bitmap
        for (VmmDevice d : devices) {
            long ret = d.loggingCalls(true).loggingReport(s.gpa(), s.size(), PAGE_SIZE, ptr);
            if (ret < 0) {
                return ret;
            }
        }
        return 0;
    }
}
