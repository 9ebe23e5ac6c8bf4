package org.migtrace.recorder.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.migtrace.uapi.StructLayout;
import org.migtrace.uapi.Structs;

/**
 * The regions of each device as the VMM learned them from {@code VFIO_DEVICE_GET_REGION_INFO}
 * (index, file offset, size, and the type capability), so that a later {@code pread},
 * {@code pwrite} or {@code mmap} of the device fd can be placed in its region, and an access to
 * the v1 migration region's register block ({@code struct vfio_device_migration_info}) named by
 * register. Learned from the calls themselves, the way an importer of a real host's trace has to:
 * the file offset encoding is the driver's business ({@code vfio-pci} puts the index in bits 40+).
 *
 * <p>Bounded by the devices and their regions (a few dozen entries per device), never by the
 * number of events.
 */
public final class DeviceRegions {
    /** One region of a device. {@code type}/{@code subtype} are -1 without a type capability. */
    public record Region(int index, long offset, long size, long type, long subtype) {
        /** Whether this is the v1 migration region ({@code VFIO_REGION_TYPE_MIGRATION_DEPRECATED}). */
        public boolean migration() {
            return type == Structs.VFIO_REGION_TYPE_MIGRATION && subtype == Structs.VFIO_REGION_SUBTYPE_MIGRATION;
        }
    }

    /** Where a file offset falls: the region and the offset inside it. */
    public record Place(Region region, long regionOffset) {
        /**
         * The v1 register an access of {@code count} bytes here touches: a member of
         * {@code vfio_device_migration_info} at exactly this offset and of exactly this width, or null.
         */
        public StructLayout.Field register(long count) {
            if (!region.migration()) {
                return null;
            }
            for (StructLayout.Field f : Structs.VFIO_DEVICE_MIGRATION_INFO.fields()) {
                if (f.offset() == regionOffset && f.kind().width() == count && !f.name().equals("reserved")) {
                    return f;
                }
            }
            return null;
        }
    }

    private final Map<String, TreeMap<Long, Region>> byDevice = new HashMap<>();

    /** Remembers region {@code r} of {@code device} on {@code host} (a later report of the same index replaces it). */
    public void learn(String host, String device, Region r) {
        TreeMap<Long, Region> regions = byDevice.computeIfAbsent(host + '\0' + device, k -> new TreeMap<>());
        regions.values().removeIf(old -> old.index() == r.index());
        if (r.size() > 0) {
            regions.put(r.offset(), r);
        }
    }

    /** The region of {@code device} holding file offset {@code offset}, or null if none is known. */
    public Place place(String host, String device, long offset) {
        TreeMap<Long, Region> regions = byDevice.get(host + '\0' + device);
        if (regions == null) {
            return null;
        }
        Map.Entry<Long, Region> e = regions.floorEntry(offset);
        if (e == null || offset - e.getKey() >= e.getValue().size()) {
            return null;
        }
        return new Place(e.getValue(), offset - e.getKey());
    }
}
