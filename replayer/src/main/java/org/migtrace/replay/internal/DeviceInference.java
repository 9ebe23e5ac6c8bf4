package org.migtrace.replay.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.migtrace.trace.BadTraceException;
import org.migtrace.trace.Manifest;
import org.migtrace.trace.RecordedEvent;
import org.migtrace.trace.RecordedTrace;
import org.migtrace.trace.TableCursor;
import org.migtrace.uapi.Structs;

/**
 * The devices a capture's own rows reveal, for a manifest that does not list them (a bpftrace
 * capture knows its devices' names at best): per host, each device a VMM opened, its IOMMU group
 * (the {@code /dev/vfio/N} it came from), its backend (type1 through a group, IOMMUFD through a
 * cdev it bound), its protocol (v2 when it answered {@code VFIO_DEVICE_FEATURE MIGRATION}, v1 when
 * its migration region's registers were accessed), its migration flags (that answer's
 * {@code flags}), and device DMA logging (a successful {@code DMA_LOGGING_START}, which only mlx5's
 * driver implements, so the model's mlx5 stands in). What no row says — the driver of a device
 * without DMA logging, its state sizes — is left to the model's generic VF.
 */
public final class DeviceInference {
    private DeviceInference() {
    }

    private static final class Seen {
        String host;
        String name;
        Integer group;
        String backend;
        String protocol;
        List<String> features = new ArrayList<>();
        boolean dmaLogging;
        Long stateSize;
        Long precopyInitial;
        boolean ndma;
    }

    /**
     * What the rows say of a device's migration state, for the model's device to follow the same
     * protocol: its stop-copy size (v2 {@code MIG_DATA_SIZE}, v1 the first {@code pending_bytes}),
     * its pre-copy initial bytes (the first {@code PRECOPY_INFO}), whether a v1 device took the
     * NDMA bit. Null where no row says.
     */
    public record Hints(Long stateSize, Long precopyInitial, boolean ndma) {
    }

    /** The completed manifest and, by {@code host/name} as it lists them, the hints of inferred devices. */
    public record Result(Manifest manifest, Map<String, Hints> hints) {
    }

    /** {@code m} with the devices the rows reveal added, unless it names a scenario or lists devices. */
    public static Result complete(RecordedTrace t, Manifest m) throws BadTraceException, IOException {
        if (m.scenario() != null || !m.devices().isEmpty()) {
            return new Result(m, Map.of());
        }
        Map<String, Seen> devices = new TreeMap<>(); // host/name, in order of first sight below
        List<String> order = new ArrayList<>();
        Map<String, Integer> groupFds = new TreeMap<>(); // host/pid/fd → group
        Map<Long, long[]> type1Reads = new TreeMap<>(); // seq → {pages asked, pages reported}
        Map<Long, String> type1ReadHost = new TreeMap<>();
        try (TableCursor<RecordedEvent> events = t.eventsSharingValues()) {
            while (events.hasNext()) {
                RecordedEvent e = events.next();
                if (!"syscall".equals(e.kind()) || e.ret() == null || e.ret() < 0) {
                    continue;
                }
                see(e, devices, order, groupFds);
                if ("VFIO_IOMMU_DIRTY_PAGES".equals(e.op()) && e.flags() != null
                        && (e.flags() & Structs.VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP) != 0
                        && e.length() != null && e.pageSize() != null && e.pageSize() > 0) {
                    type1Reads.put(e.seq(), new long[] {e.length() / e.pageSize(), 0});
                    type1ReadHost.put(e.seq(), e.host());
                }
            }
        }
        java.util.Set<String> pinningHosts = pinningHosts(t, type1Reads, type1ReadHost);
        List<Manifest.DeviceInfo> list = new ArrayList<>();
        Map<String, Hints> hints = new TreeMap<>();
        for (String key : order) {
            Seen s = devices.get(key);
            String protocol = s.protocol == null ? "v2" : s.protocol;
            String driver = "v1".equals(protocol) ? "v1-vendor" : s.dmaLogging ? "mlx5-vf" : "plain-vf";
            List<String> features = "v1".equals(protocol) ? List.of()
                    : s.features.isEmpty() ? List.of("STOP_COPY") : s.features;
            String backend = s.backend == null ? "type1" : s.backend;
            boolean pinning = "type1".equals(backend) && !s.dmaLogging && pinningHosts.contains(s.host)
                    && ("v1".equals(protocol) || isUuid(s.name));
            if (pinning && !"v1".equals(protocol)) {
                driver = "mdev-pin";
            }
            String modelName = name(s.name, list.size());
            list.add(new Manifest.DeviceInfo(s.host, modelName, protocol, features, driver, s.group,
                    backend, s.dmaLogging ? "dma-logging" : pinning ? "page-pinning" : "iommu"));
            hints.put(s.host + "/" + modelName, new Hints(s.stateSize, s.precopyInitial, s.ndma));
        }
        return new Result(new Manifest(m.format(), m.source(), m.hosts(), m.pageSize(), m.guestMemory(), list,
                m.iommu(), m.scenario(), m.tables(), m.lostEvents(), m.complete(), m.firstTsNs(), m.lastTsNs(),
                m.notes()), hints);
    }

    /**
     * Hosts where a type1 GET_BITMAP reported fewer pages than it asked for: type1 reports every
     * mapped page unless a device pinned pages ({@code vfio_iommu_type1.c}: the pinned-page scope),
     * so some device there is a page-pinning one (an mdev or a v1 vendor driver).
     */
    private static java.util.Set<String> pinningHosts(RecordedTrace t, Map<Long, long[]> reads, Map<Long, String> hosts)
            throws BadTraceException, IOException {
        java.util.Set<String> out = new java.util.TreeSet<>();
        if (reads.isEmpty()) {
            return out;
        }
        try (TableCursor<org.migtrace.trace.RecordedDirtyRun> runs = t.dirtyRunsSharingValues()) {
            while (runs.hasNext()) {
                org.migtrace.trace.RecordedDirtyRun r = runs.next();
                long[] read = reads.get(r.eventSeq());
                if (read != null && "bitmap".equals(r.source())) {
                    read[1] += r.pageCount();
                }
            }
        }
        reads.forEach((seq, read) -> {
            if (read[1] < read[0]) {
                out.add(hosts.get(seq));
            }
        });
        return out;
    }

    private static boolean isUuid(String name) {
        return name.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    }

    /**
     * The name the model registers a device under: its own when it is a PCI address or an mdev's
     * UUID; else (a cdev a capture knew only by its file, {@code vfio0}) an address the model
     * accepts. Such a device is reached through its cdev, never by name.
     */
    private static String name(String name, int index) {
        if (isUuid(name) || name.matches("[0-9a-fA-F]{4}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\\.[0-7]")) {
            return name;
        }
        return String.format("0000:fe:%02x.0", index & 0x1F);
    }

    private static void see(RecordedEvent e, Map<String, Seen> devices, List<String> order,
                            Map<String, Integer> groupFds) {
        String op = e.op();
        if ("openat".equals(op) && e.object() != null && e.object().matches("/dev/vfio/\\d+")) {
            groupFds.put(e.host() + "/" + e.pid() + "/" + e.ret(), Integer.valueOf(e.object().substring(10)));
            return;
        }
        if ("VFIO_GROUP_GET_DEVICE_FD".equals(op)) {
            Seen s = device(e, devices, order);
            if (s != null) {
                s.group = groupFds.get(e.host() + "/" + e.pid() + "/" + e.fd());
            }
            return;
        }
        if ("VFIO_DEVICE_BIND_IOMMUFD".equals(op)) {
            Seen s = device(e, devices, order);
            if (s != null) {
                s.backend = "iommufd";
            }
            return;
        }
        if ("pread64".equals(op) || "pwrite64".equals(op)) {
            JsonNode args = RecordedOutcomes.parse(e.args());
            if (args.has("register")) {
                Seen s = device(e, devices, order);
                if (s != null) {
                    s.protocol = "v1";
                    String reg = args.path("register").asText();
                    JsonNode out = args.path("out").path(reg);
                    if ("pending_bytes".equals(reg) && s.stateSize == null && out.asLong() > 0) {
                        s.stateSize = out.asLong();
                    }
                    if ("device_state".equals(reg) && (args.path("in").path(reg).asLong() & 8) != 0) {
                        s.ndma = true;
                    }
                }
            }
            return;
        }
        if ("VFIO_MIG_GET_PRECOPY_INFO".equals(op) && e.initialBytes() != null) {
            Seen s = device(e, devices, order);
            if (s != null && s.precopyInitial == null) {
                s.precopyInitial = e.initialBytes();
            }
            return;
        }
        if (!"VFIO_DEVICE_FEATURE".equals(op) || e.feature() == null) {
            return;
        }
        Seen s = device(e, devices, order);
        if (s == null) {
            return;
        }
        boolean set = e.featureOps() != null && e.featureOps().contains("SET");
        if ("MIGRATION".equals(e.feature())) {
            JsonNode flags = RecordedOutcomes.parse(e.args()).path("out").path("data").path("flags");
            long f = flags.isIntegralNumber() ? flags.asLong() : e.flags() == null ? 1 : e.flags();
            s.protocol = "v2";
            s.features = new ArrayList<>();
            if ((f & 1) != 0) {
                s.features.add("STOP_COPY");
            }
            if ((f & 2) != 0) {
                s.features.add("P2P");
            }
            if ((f & 4) != 0) {
                s.features.add("PRE_COPY");
            }
        } else if ("DMA_LOGGING_START".equals(e.feature()) && set) {
            s.dmaLogging = true;
        } else if ("MIG_DATA_SIZE".equals(e.feature()) && e.stopCopyLength() != null && s.stateSize == null) {
            s.stateSize = e.stopCopyLength();
        }
    }

    /** The device the row concerns ({@code device}, else the fd's object), created on first sight. */
    private static Seen device(RecordedEvent e, Map<String, Seen> devices, List<String> order) {
        String name = e.device() != null ? e.device() : e.object();
        if (name == null || e.host() == null) {
            return null;
        }
        String key = e.host() + "/" + name;
        return devices.computeIfAbsent(key, k -> {
            order.add(k);
            Seen s = new Seen();
            s.host = e.host();
            s.name = name;
            return s;
        });
    }
}
