package org.migtrace.recorder.importer.qemulog.internal;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.migtrace.trace.Manifest;
import org.migtrace.uapi.MigState;
import org.migtrace.uapi.MigrationFlag;

/**
 * The devices a log names (the {@code (name)} of {@code vfio_*} events), with the v2 migration flags
 * their states prove: every v2 device has STOP_COPY; a device that reached a P2P state has P2P, one
 * that reached a PRE_COPY state has PRE_COPY. A flag not proven may still be there.
 */
final class Devices {
    private final Map<String, Set<MigrationFlag>> byName = new TreeMap<>();

    void saw(ParsedEvent e) {
        String name = TracepointColumns.device(e);
        if (name == null) {
            return;
        }
        Set<MigrationFlag> flags = byName.computeIfAbsent(name, k -> EnumSet.of(MigrationFlag.STOP_COPY));
        boolean reached = e.name().equals("vfio_migration_set_device_state")
                || (e.name().equals("vfio_migration_set_state") && e.has("state"));
        if (reached) {
            TracepointColumns.state(e.text("state")).ifPresent(s -> {
                if (s == MigState.RUNNING_P2P || s == MigState.PRE_COPY_P2P) {
                    flags.add(MigrationFlag.P2P);
                }
                if (s == MigState.PRE_COPY || s == MigState.PRE_COPY_P2P) {
                    flags.add(MigrationFlag.PRE_COPY);
                }
            });
        }
    }

    /** The manifest's devices, sorted by name. */
    List<Manifest.DeviceInfo> manifest(String host) {
        List<Manifest.DeviceInfo> out = new ArrayList<>();
        byName.forEach((name, flags) -> {
            List<String> features = new ArrayList<>();
            flags.forEach(f -> features.add(f.name()));
            out.add(new Manifest.DeviceInfo(host, name, "v2", features, null, null, null, null));
        });
        return out;
    }
}
