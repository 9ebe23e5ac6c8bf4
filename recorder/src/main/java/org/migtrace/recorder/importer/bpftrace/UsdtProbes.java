package org.migtrace.recorder.importer.bpftrace;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.migtrace.recorder.importer.bpftrace.internal.ElfNotes;

/**
 * QEMU's migration and VFIO trace points as USDT probes (QEMU built with the {@code dtrace} trace
 * backend: provider {@code qemu}, one probe per trace event), found in the binary's SDT notes and
 * turned into bpftrace probe blocks whose printf is one {@code tracepoint} event in the JSON-lines
 * form: {@code ts_ns}, {@code pid}, {@code tid}, {@code kind}, {@code op} (the event's name),
 * {@code device} (the VFIO device an event names first), {@code args} by the names of QEMU's
 * {@code trace-events} files, {@code thread}.
 *
 * <p>The events and their arguments are those of QEMU 9.x/10.x ({@code hw/vfio/trace-events},
 * {@code migration/trace-events}; reference §3); an event whose probe in the binary has another
 * number of arguments than any form listed here (another QEMU version) gets its arguments as
 * numbers named {@code arg0}, {@code arg1}... Strings are read with {@code str()}.
 */
public final class UsdtProbes {
    /** QEMU's dtrace provider. */
    public static final String PROVIDER = "qemu";

    /** An argument: its name in trace-events and whether it is a string. */
    private record Arg(String name, boolean string) {
    }

    private static final Map<String, List<List<Arg>>> EVENTS = new LinkedHashMap<>();

    static {
        event("vfio_migration_set_state", "s:name s:new_state s:recover_state");
        event("vfio_migration_set_state", "s:name s:state");
        event("vfio_migration_set_device_state", "s:name s:state");
        event("vfio_vmstate_change", "s:name n:running s:reason s:dev_state");
        event("vfio_vmstate_change_prepare", "s:name n:running s:reason s:dev_state");
        event("vfio_save_setup", "s:name n:data_buffer_size");
        event("vfio_save_iterate", "s:name n:precopy_init_size n:precopy_dirty_size");
        event("vfio_save_block", "s:name n:data_size");
        event("vfio_save_complete_precopy", "s:name n:ret");
        event("vfio_save_cleanup", "s:name");
        event("vfio_state_pending_estimate", "s:name n:precopy n:postcopy n:precopy_init_size n:precopy_dirty_size");
        event("vfio_state_pending_exact", "s:name n:precopy n:postcopy n:stopcopy_size n:precopy_init_size n:precopy_dirty_size");
        event("vfio_load_state", "s:name n:data");
        event("vfio_load_state_device_data", "s:name n:data_size n:ret");
        event("vfio_load_cleanup", "s:name");
        event("vfio_device_dirty_tracking_start", "n:nr_ranges n:min32 n:max32 n:min64 n:max64 n:minpci n:maxpci");
        event("vfio_get_dirty_bitmap", "n:iova n:size n:bitmap_size n:start n:dirty_pages");
        event("vfio_container_query_dirty_bitmap", "n:iova n:size n:bitmap_size n:start n:dirty_pages");
        event("migrate_set_state", "s:new_state");
        event("migrate_pending_estimate", "n:size n:pre n:post");
        event("migrate_pending_exact", "n:size n:pre n:post");
        event("migrate_transferred", "n:transferred n:time_spent n:bandwidth n:switchover_bw n:size");
        event("migrate_transferred", "n:transferred n:time_spent n:bandwidth n:size");
        event("migration_bitmap_sync_start", "");
        event("migration_bitmap_sync_end", "n:dirty_pages");
        event("migration_thread_low_pending", "n:pending");
        event("vmstate_downtime_checkpoint", "s:checkpoint");
    }

    private static void event(String name, String args) {
        List<Arg> list = new ArrayList<>();
        for (String a : args.split(" ")) {
            if (!a.isEmpty()) {
                list.add(new Arg(a.substring(2), a.startsWith("s:")));
            }
        }
        EVENTS.computeIfAbsent(name, k -> new ArrayList<>()).add(list);
    }

    private UsdtProbes() {
    }

    /** The names of the trace events migtrace attaches to when the binary has them. */
    public static List<String> events() {
        return List.copyOf(EVENTS.keySet());
    }

    /** The {@code qemu} probes of {@code binary} (its SDT notes) that are among {@link #events()}. */
    public static List<ElfNotes.Probe> detect(Path binary) throws IOException {
        List<ElfNotes.Probe> out = new ArrayList<>();
        for (ElfNotes.Probe p : ElfNotes.probes(binary)) {
            if (PROVIDER.equals(p.provider()) && EVENTS.containsKey(p.name())
                    && out.stream().noneMatch(o -> o.name().equals(p.name()))) {
                out.add(p);
            }
        }
        return out;
    }

    /** One bpftrace probe block per detected probe of {@code binary}, printing its event for process {@code pid}. */
    public static List<String> probes(Path binary, int pid, List<ElfNotes.Probe> detected) {
        List<String> blocks = new ArrayList<>();
        for (ElfNotes.Probe p : detected) {
            blocks.add(block(binary, pid, p));
        }
        return blocks;
    }

    private static String block(Path binary, int pid, ElfNotes.Probe p) {
        List<Arg> args = null;
        for (List<Arg> form : EVENTS.getOrDefault(p.name(), List.of())) {
            if (form.size() == p.args()) {
                args = form;
            }
        }
        if (args == null) {
            args = new ArrayList<>();
            for (int i = 0; i < Math.min(p.args(), 12); i++) {
                args.add(new Arg("arg" + i, false));
            }
        }
        StringBuilder fmt = new StringBuilder("{\\\"ts_ns\\\":%lu,\\\"pid\\\":%d,\\\"tid\\\":%d,\\\"kind\\\":\\\"tracepoint\\\",\\\"op\\\":\\\"")
                .append(p.name()).append("\\\"");
        StringBuilder values = new StringBuilder("nsecs, pid, tid");
        boolean device = !args.isEmpty() && args.get(0).string() && args.get(0).name().equals("name");
        if (device) {
            fmt.append(",\\\"device\\\":\\\"%s\\\"");
            values.append(", str(arg0)");
        }
        fmt.append(",\\\"args\\\":{");
        for (int i = 0; i < args.size(); i++) {
            Arg a = args.get(i);
            fmt.append(i > 0 ? "," : "").append("\\\"").append(a.name()).append("\\\":")
                    .append(a.string() ? "\\\"%s\\\"" : "%ld");
            values.append(a.string() ? ", str(arg" + i + ")" : ", (int64)arg" + i);
        }
        fmt.append("},\\\"thread\\\":\\\"%s\\\"}\\n");
        values.append(", comm");
        return "usdt:" + binary + ":" + PROVIDER + ":" + p.name() + "\n/pid == " + pid + "/\n{\n\tprintf(\"" + fmt
                + "\",\n\t\t" + values + ");\n}\n";
    }
}
