package org.migtrace.sim.run.internal;

import java.util.List;
import org.migtrace.sim.scenario.Protocol;

/** QEMU's migration blockers for VFIO devices ({@code hw/vfio/migration.c}: {@code vfio_migration_realize}). */
final class Blockers {
    private Blockers() {
    }

    /** The first blocker's message, or null when the devices may migrate. */
    static String of(List<VmmDevice> devices) {
        int v2 = 0;
        boolean allP2p = true;
        for (VmmDevice d : devices) {
            if (!d.migratable()) {
                return d.blocker();
            }
            if (d.spec().protocol() == Protocol.V2) {
                v2++;
                allP2p &= d.p2p();
            }
        }
        if (v2 > 1 && !allP2p) {
            // vfio_multiple_devices_migration_is_supported
            return "Multiple VFIO devices migration is supported only if all of them support P2P migration";
        }
        return null;
    }
}
