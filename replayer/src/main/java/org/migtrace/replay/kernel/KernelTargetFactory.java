package org.migtrace.replay.kernel;

import java.util.List;
import java.util.Map;
import org.migtrace.replay.internal.DeviceInference;
import java.util.Locale;
import java.util.function.Function;
import org.migtrace.replay.spi.ReplayTarget;
import org.migtrace.replay.spi.ReplayTargetFactory;
import org.migtrace.replay.spi.TargetContext;
import org.migtrace.sim.scenario.Scenario;
import org.migtrace.sim.scenario.ScenarioException;
import org.migtrace.sim.scenario.ScenarioLoader;
import org.migtrace.trace.Manifest;

/**
 * {@code kernel}: the reference model. Configured from what the trace says: a simulated run's
 * built-in scenario and seed (so the devices have the very state sizes and rates they had), or
 * else each host's devices from the manifest (driver, protocol v1/v2, migration features, IOMMU
 * backend type1/IOMMUFD, dirty tracking), with the driver model's defaults for what a capture
 * cannot know (state sizes).
 */
public final class KernelTargetFactory implements ReplayTargetFactory {
    public static final String NAME = "kernel";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "the reference model: sim-target's kernel (VFIO core, vendor drivers, type1, IOMMUFD, DMA logging), "
                + "configured from the trace's manifest";
    }

    /** The context's reference: the replayer configures it (with what it inferred from the rows). */
    @Override
    public ReplayTarget create(TargetContext context) {
        return context.reference();
    }

    /** The reference target for a trace with {@code manifest}. */
    public static ReplayTarget create(Manifest manifest) {
        return create(manifest, Map.of());
    }

    /**
     * The reference target for a trace with {@code manifest}, its devices' state sizes and v1 NDMA
     * from {@code hints} (by {@code host/name}) where the rows gave them.
     */
    public static ReplayTarget create(Manifest manifest, Map<String, DeviceInference.Hints> hints) {
        Manifest.ScenarioInfo info = manifest.scenario();
        if (info != null && ScenarioLoader.BUILT_IN.contains(info.name())) {
            try {
                Scenario s = ScenarioLoader.builtIn(info.name());
                return new KernelTarget(host -> s, info.seed(), pinning(manifest), true);
            } catch (ScenarioException e) {
                throw new IllegalStateException("built-in scenario " + info.name() + " does not load", e);
            }
        }
        return new KernelTarget(fromManifest(manifest, hints), info == null ? 0 : info.seed(), pinning(manifest),
                false);
    }

    private static java.util.Set<String> pinning(Manifest m) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (Manifest.DeviceInfo d : m.devices()) {
            if ("page-pinning".equals(d.dirtyTracking())) {
                out.add(d.host() + "/" + d.name());
            }
        }
        return out;
    }

    /** A scenario per host holding the devices the manifest lists on it. */
    static Function<String, Scenario> fromManifest(Manifest m, Map<String, DeviceInference.Hints> hints) {
        return host -> {
            StringBuilder y = new StringBuilder();
            long mem = m.guestMemory() == null ? 1L << 30 : m.guestMemory();
            y.append("name: replay-").append(host).append('\n')
                    .append("guest:\n  memory: ").append(Math.max(mem >> 20, 2)).append("MiB\n  vcpus: 1\n")
                    .append("iommu:\n  backend: type1\n  dirty-tracking: true\n")
                    .append("devices:\n");
            int n = 0;
            for (Manifest.DeviceInfo d : m.devices()) {
                if (d.host() != null && !d.host().equals(host)) {
                    continue;
                }
                n++;
                y.append("  - name: \"").append(d.name()).append("\"\n");
                y.append("    group: ").append(d.group() == null ? 100 + n : d.group()).append('\n');
                y.append("    driver: ").append(driver(d)).append('\n');
                if (!d.features().isEmpty() && "v2".equals(d.protocol())) {
                    y.append("    features: [").append(String.join(", ", d.features().stream()
                            .map(f -> f.toLowerCase(Locale.ROOT).replace('_', '-')).toList())).append("]\n");
                }
                if (d.dirtyTracking() != null) {
                    y.append("    dirty-tracking: ").append(d.dirtyTracking()).append('\n');
                }
                if (d.iommuBackend() != null) {
                    y.append("    iommu-backend: ").append(d.iommuBackend()).append('\n');
                }
                DeviceInference.Hints h = hints.get(d.host() + "/" + d.name());
                if (h != null && h.stateSize() != null) {
                    y.append("    state-size: ").append(h.stateSize()).append('\n');
                }
                if (h != null && h.precopyInitial() != null && "v2".equals(d.protocol())) {
                    y.append("    precopy-initial: ").append(h.precopyInitial()).append('\n');
                }
                if (h != null && h.ndma() && "v1".equals(d.protocol())) {
                    y.append("    v1: {ndma: true}\n");
                }
            }
            if (n == 0) {
                y.setLength(y.lastIndexOf("devices:\n"));
                y.append("devices: []\n");
            }
            try {
                return ScenarioLoader.parse(y.toString(), "the manifest's devices on " + host);
            } catch (ScenarioException e) {
                throw new IllegalArgumentException("cannot model the devices of host " + host + ": " + e.getMessage(), e);
            }
        };
    }

    private static String driver(Manifest.DeviceInfo d) {
        if ("v1".equals(d.protocol())) {
            return "v1-vendor";
        }
        String drv = d.driver() == null ? "" : d.driver().toLowerCase(Locale.ROOT).replace('_', '-');
        for (String known : List.of("mlx5-vf", "hisi-acc-vf", "mtty", "mdev-pin", "plain-vf")) {
            if (drv.startsWith(known) || drv.startsWith(known.replace("-vf", ""))) {
                return known;
            }
        }
        return "plain-vf";
    }
}
