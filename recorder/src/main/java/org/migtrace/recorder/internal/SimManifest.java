package org.migtrace.recorder.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.migtrace.sim.scenario.DeviceSpec;
import org.migtrace.sim.scenario.IommuBackend;
import org.migtrace.sim.scenario.Scenario;
import org.migtrace.trace.Manifest;
import org.migtrace.uapi.MigrationFlag;

/**
 * The start manifest of a simulated run, from its scenario: both hosts ({@code src}, {@code dst})
 * with the scenario's QEMU version (the kernel is the model, so no release), the guest's page size
 * and RAM, every device on each host with its protocol, v2 migration flags, driver model, IOMMU
 * group, backend and dirty tracking as the scenario resolved them, and the IOMMU contexts QEMU opens
 * on each host: the type1 container ({@code container0}) when a device uses type1, the IOMMUFD
 * context ({@code iommufd0}) when one uses IOMMUFD, named as the events' {@code object} column names
 * them. IOASes and HWPTs are not listed: their ids are the kernel's to choose and appear in the
 * {@code IOMMU_IOAS_ALLOC} and {@code IOMMU_HWPT_ALLOC} rows.
 */
public final class SimManifest {
    /** The guest page size ({@code TARGET_PAGE_SIZE} on x86). */
    public static final long PAGE_SIZE = 4096;
    /** The hosts of a simulated migration, as events name them. */
    public static final List<String> HOSTS = List.of("src", "dst");

    private SimManifest() {
    }

    /** The start manifest of {@code scenario} run with {@code seed}, produced by {@code command}. */
    public static Manifest of(Scenario scenario, long seed, String command) {
        String qemu = scenario.migration().qemuVersion();
        List<Manifest.HostInfo> hosts = new ArrayList<>();
        List<Manifest.DeviceInfo> devices = new ArrayList<>();
        List<Manifest.IommuObject> iommu = new ArrayList<>();
        for (String host : HOSTS) {
            hosts.add(new Manifest.HostInfo(host, null, qemu));
            for (DeviceSpec d : scenario.devices()) {
                devices.add(device(host, d));
            }
            iommu.addAll(contexts(host, scenario));
        }
        return Manifest.start(new Manifest.Source("simulated", "migtrace " + version(), command), hosts, PAGE_SIZE,
                scenario.guest().memory().bytes(), devices, iommu, new Manifest.ScenarioInfo(scenario.name(), seed));
    }

    private static Manifest.DeviceInfo device(String host, DeviceSpec d) {
        List<String> features = new ArrayList<>();
        for (MigrationFlag f : MigrationFlag.values()) {
            if (d.has(f)) {
                features.add(f.name());
            }
        }
        return new Manifest.DeviceInfo(host, d.name(), d.protocol().label(), features, d.driver().label(), d.group(),
                d.iommuBackend().label(), d.dirtyTracking().label());
    }

    /** The container and IOMMUFD context QEMU opens on {@code host} (the first of each kind: serial 0). */
    private static List<Manifest.IommuObject> contexts(String host, Scenario scenario) {
        List<Manifest.IommuObject> out = new ArrayList<>();
        for (IommuBackend backend : IommuBackend.values()) {
            StringJoiner groups = new StringJoiner(",");
            StringJoiner names = new StringJoiner(",");
            for (DeviceSpec d : scenario.devices()) {
                if (d.iommuBackend() == backend) {
                    groups.add(Integer.toString(d.group()));
                    names.add(d.name());
                }
            }
            if (names.length() == 0) {
                continue;
            }
            Map<String, String> attributes = new TreeMap<>();
            attributes.put("backend", backend.label());
            attributes.put("devices", names.toString());
            attributes.put("groups", groups.toString());
            if (backend == IommuBackend.IOMMUFD) {
                attributes.put("hw_dirty_tracking", Boolean.toString(scenario.iommu().dirtyTracking()));
                out.add(new Manifest.IommuObject(host, "iommufd", "iommufd0", attributes));
            } else {
                out.add(new Manifest.IommuObject(host, "container", "container0", attributes));
            }
        }
        return out;
    }

    /** This build's version (Maven filters it into the resource). */
    public static String version() {
        try (InputStream in = SimManifest.class.getResourceAsStream("/org/migtrace/recorder/version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties missing from the classpath");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
