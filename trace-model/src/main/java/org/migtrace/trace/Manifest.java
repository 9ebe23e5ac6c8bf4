package org.migtrace.trace;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code manifest.json}: what a trace is and where it came from. Written when the capture starts
 * ({@code complete = false}, no tables yet) and rewritten when it finishes; a trace whose manifest
 * still says {@code complete = false} was cut short (the process died), and its tables hold every
 * batch flushed before that.
 *
 * <p>JSON keys are the record component names in snake_case. Readers ignore keys they do not know
 * (additive changes within a major version).
 *
 * @param format       format name and version; checked before anything else is read
 * @param source       what produced the trace
 * @param hosts        the hosts the trace covers (a migration has a source and a destination)
 * @param pageSize     guest page size in bytes (TARGET_PAGE_SIZE), null if unknown
 * @param guestMemory  guest RAM in bytes, null if unknown
 * @param devices      the assigned devices
 * @param iommu        containers, IOASes and HWPTs the trace refers to (ids as the trace uses them)
 * @param scenario     for simulated runs: the scenario and seed; null otherwise
 * @param tables       one entry per table file with its row count and checksum (final manifest only)
 * @param lostEvents   events the capture says it lost (0 for simulated runs)
 * @param complete     whether the capture finished cleanly
 * @param firstTsNs    timestamp of the first event, null if none
 * @param lastTsNs     timestamp of the last event, null if none
 * @param notes        what the producer wants a reader to know about the capture, one sentence each
 *                     (an importer's lines not understood, how it made timestamps); left out when empty
 */
public record Manifest(Format format, Source source, List<HostInfo> hosts, Long pageSize, Long guestMemory,
                       List<DeviceInfo> devices, List<IommuObject> iommu, ScenarioInfo scenario,
                       List<TableInfo> tables, long lostEvents, boolean complete, Long firstTsNs, Long lastTsNs,
                       @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> notes) {

    /** Absent lists (a hand-written manifest) are empty; lists are copied. */
    public Manifest {
        hosts = listOf(hosts);
        devices = listOf(devices);
        iommu = listOf(iommu);
        tables = listOf(tables);
        notes = listOf(notes);
    }

    /** A manifest without notes. */
    public Manifest(Format format, Source source, List<HostInfo> hosts, Long pageSize, Long guestMemory,
                    List<DeviceInfo> devices, List<IommuObject> iommu, ScenarioInfo scenario, List<TableInfo> tables,
                    long lostEvents, boolean complete, Long firstTsNs, Long lastTsNs) {
        this(format, source, hosts, pageSize, guestMemory, devices, iommu, scenario, tables, lostEvents, complete,
                firstTsNs, lastTsNs, List.of());
    }

    private static <T> List<T> listOf(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }

    /** {@code {"name": "migtrace-trace", "version": "1.0"}}. */
    public record Format(String name, String version) {
        public static Format current() {
            return new Format(TraceFormat.NAME, TraceFormat.version());
        }
    }

    /**
     * @param kind    simulated, bpftrace, qemu-log, jsonl
     * @param tool    the producing tool and version ({@code migtrace 0.1.0})
     * @param command the command line or API call that produced it, when known
     */
    public record Source(String kind, String tool, String command) {
    }

    /** A host: its name as events use it, kernel release and QEMU version when known. */
    public record HostInfo(String name, String kernel, String qemu) {
    }

    /**
     * @param host          the host the device is on
     * @param name          device name (PCI address or mdev UUID)
     * @param protocol      v1 or v2
     * @param features      v2 migration flags (STOP_COPY, P2P, PRE_COPY)
     * @param driver        driver model (mlx5-vf, hisi-acc-vf, ...)
     * @param group         IOMMU group
     * @param iommuBackend  type1 or iommufd
     * @param dirtyTracking dma-logging, page-pinning, iommu, none
     */
    public record DeviceInfo(String host, String name, String protocol, List<String> features, String driver,
                             Integer group, String iommuBackend, String dirtyTracking) {
        public DeviceInfo {
            features = listOf(features);
        }
    }

    /** A container, IOAS or HWPT: {@code kind}, the id events use, and attributes (dirty tracking...). */
    public record IommuObject(String host, String kind, String id, Map<String, String> attributes) {
        /** Attributes are kept sorted by key, so that they print and serialize in one order. */
        public IommuObject {
            attributes = Collections.unmodifiableSortedMap(attributes == null ? new TreeMap<>() : new TreeMap<>(attributes));
        }
    }

    /** The scenario and seed of a simulated run. */
    public record ScenarioInfo(String name, long seed) {
    }

    /**
     * One table file: its table name, file name, row count and checksum of the whole file, as hex:
     * {@code crc32c} from format 2.1 on, {@code sha256} in traces of format 1.0 to 2.0 (null when the
     * manifest has none).
     */
    public record TableInfo(String name, String file, long rows, String sha256, String crc32c) {
        public TableInfo {
            if (name == null) { // a manifest naming no table cannot say which file it vouches for
                throw new IllegalArgumentException("a table entry without its name");
            }
        }

        /** The checksums this entry gives, by kind (empty when none: the file's rows are then not vouched for). */
        public Map<FileChecksum, String> checksums() {
            Map<FileChecksum, String> m = new EnumMap<>(FileChecksum.class);
            if (crc32c != null) {
                m.put(FileChecksum.CRC32C, crc32c);
            }
            if (sha256 != null) {
                m.put(FileChecksum.SHA256, sha256);
            }
            return m;
        }
    }

    /** The manifest written when a capture starts: no tables, not complete. */
    public static Manifest start(Source source, List<HostInfo> hosts, Long pageSize, Long guestMemory,
                                 List<DeviceInfo> devices, List<IommuObject> iommu, ScenarioInfo scenario) {
        return new Manifest(Format.current(), source, hosts, pageSize, guestMemory, devices, iommu, scenario, List.of(),
                0, false, null, null);
    }

    /** This manifest as it is written when the capture ends. */
    public Manifest finished(List<TableInfo> finalTables, long lost, boolean finishedCleanly, Long first, Long last) {
        return new Manifest(format, source, hosts, pageSize, guestMemory, devices, iommu, scenario,
                finalTables, lost, finishedCleanly, first, last, notes);
    }

    /** This manifest with {@code newNotes} instead of its notes. */
    public Manifest withNotes(List<String> newNotes) {
        return new Manifest(format, source, hosts, pageSize, guestMemory, devices, iommu, scenario, tables, lostEvents,
                complete, firstTsNs, lastTsNs, newNotes);
    }

    /** The table entry for {@code table}, if this manifest lists it. */
    public java.util.Optional<TableInfo> table(Table table) {
        return tables.stream().filter(t -> t.name().equals(table.tableName())).findFirst();
    }
}
