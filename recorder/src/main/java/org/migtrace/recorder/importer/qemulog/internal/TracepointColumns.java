package org.migtrace.recorder.importer.qemulog.internal;

import static org.migtrace.trace.EventColumn.COUNT;
import static org.migtrace.trace.EventColumn.DEVICE;
import static org.migtrace.trace.EventColumn.DIRTY_BYTES;
import static org.migtrace.trace.EventColumn.FLAGS;
import static org.migtrace.trace.EventColumn.INITIAL_BYTES;
import static org.migtrace.trace.EventColumn.IOVA;
import static org.migtrace.trace.EventColumn.LENGTH;
import static org.migtrace.trace.EventColumn.PAGE_SIZE;
import static org.migtrace.trace.EventColumn.REQUESTED_STATE;
import static org.migtrace.trace.EventColumn.STATE_RAW;
import static org.migtrace.trace.EventColumn.STOP_COPY_LENGTH;
import static org.migtrace.trace.EventColumn.TO_STATE;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.migtrace.trace.EventColumn;
import org.migtrace.trace.EventRow;
import org.migtrace.uapi.MigState;

/**
 * Which typed columns a trace event fills besides {@code args}: the table of docs/trace-format.md
 * ("QEMU trace logs"), by event and argument name. Every argument is also in {@code args}. The
 * device is the {@code name} argument of a {@code vfio_*} event (QEMU's {@code vbasedev->name}, the
 * PCI address for vfio-pci); states go in as the uAPI names ({@code STOP_COPY}), with their value in
 * {@code state_raw}; sizes and addresses as their 64-bit pattern.
 */
public final class TracepointColumns {

    /** An argument that fills a column. */
    private record Fill(String arg, EventColumn column) {
    }

    private static final List<Fill> PENDING = List.of(new Fill("stopcopy_size", STOP_COPY_LENGTH),
            new Fill("precopy_init_size", INITIAL_BYTES), new Fill("precopy_dirty_size", DIRTY_BYTES));
    private static final List<Fill> DIRTY_BITMAP = List.of(new Fill("iova", IOVA), new Fill("size", LENGTH));

    private static final Map<String, List<Fill>> FILLS = Map.ofEntries(
            // 9.1+: the request; 8.0-9.0: printed after success, so both requested and reached
            Map.entry("vfio_migration_set_state", List.of(new Fill("new_state", REQUESTED_STATE),
                    new Fill("state", REQUESTED_STATE), new Fill("state", TO_STATE))),
            Map.entry("vfio_migration_set_device_state", List.of(new Fill("state", TO_STATE))),
            Map.entry("vfio_save_block", List.of(new Fill("data_size", COUNT))),
            Map.entry("vfio_load_state_device_data", List.of(new Fill("data_size", COUNT))),
            Map.entry("vfio_state_pending_estimate", PENDING),
            Map.entry("vfio_state_pending_exact", PENDING),
            Map.entry("vfio_state_pending", PENDING),
            Map.entry("vfio_save_pending", PENDING),
            Map.entry("vfio_migration_data_notifier", PENDING),
            Map.entry("vfio_query_stop_copy_size", List.of(new Fill("size", STOP_COPY_LENGTH))),
            Map.entry("vfio_query_precopy_size", List.of(new Fill("init_size", INITIAL_BYTES),
                    new Fill("dirty_size", DIRTY_BYTES))),
            Map.entry("vfio_get_dirty_bitmap", DIRTY_BITMAP),
            Map.entry("vfio_container_query_dirty_bitmap", DIRTY_BITMAP),
            Map.entry("iommufd_backend_get_dirty_bitmap", List.of(new Fill("iova", IOVA), new Fill("size", LENGTH),
                    new Fill("page_size", PAGE_SIZE), new Fill("flags", FLAGS))));

    private TracepointColumns() {
    }

    /** The device a {@code vfio_*} event names, or null. */
    public static String device(ParsedEvent e) {
        return e.name().startsWith("vfio_") && e.decl().indexOf("name") >= 0
                && e.decl().args().get(e.decl().indexOf("name")).kind() == ArgKind.STRING ? e.text("name") : null;
    }

    /** Fills the typed columns of {@code e} into {@code row}. */
    public static void fill(ParsedEvent e, EventRow row) {
        row.set(DEVICE, device(e));
        MigState raw = null;
        for (Fill f : FILLS.getOrDefault(e.name(), List.of())) {
            if (!e.has(f.arg())) {
                continue;
            }
            if (f.column() == REQUESTED_STATE || f.column() == TO_STATE) {
                Optional<MigState> s = state(e.text(f.arg()));
                if (s.isPresent()) {
                    row.set(f.column(), s.get().name());
                    raw = s.get();
                }
            } else {
                row.set(f.column(), e.bits(f.arg()));
            }
        }
        if (raw != null) {
            row.set(STATE_RAW, raw.value());
        }
    }

    /**
     * The v2 state QEMU printed: {@code mig_state_to_str()} already prints the uAPI names
     * ({@code STOP_COPY}); the QAPI spelling ({@code stop-copy}) is accepted too. Empty for
     * {@code UNKNOWN STATE} and anything else.
     */
    public static Optional<MigState> state(String printed) {
        if (printed == null) {
            return Optional.empty();
        }
        String n = printed.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        for (MigState s : MigState.values()) {
            if (s.name().equals(n)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
