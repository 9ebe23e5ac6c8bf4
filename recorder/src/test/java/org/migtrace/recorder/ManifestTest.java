package org.migtrace.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.migtrace.sim.scenario.ScenarioLoader;
import org.migtrace.trace.EventColumn;
import org.migtrace.trace.Manifest;
import org.migtrace.trace.TraceFormat;

/** The start manifest a recording provides for the trace writer. */
class ManifestTest {

    @Test
    void theManifestDescribesSourceHostsGuestDevicesAndScenario() throws Exception {
        Manifest m = Recording.of(ScenarioLoader.builtIn("two-devices-p2p")).seed(99).manifest();

        assertThat(m.format().name()).isEqualTo(TraceFormat.NAME);
        assertThat(m.source().kind()).isEqualTo("simulated");
        assertThat(m.source().tool()).matches("migtrace \\d+\\.\\d+\\.\\d+.*");
        assertThat(m.source().command()).isEqualTo("Recording.of(two-devices-p2p).seed(99)");
        assertThat(m.hosts()).containsExactly(new Manifest.HostInfo("src", null, "10.0"),
                new Manifest.HostInfo("dst", null, "10.0"));
        assertThat(List.of(m.pageSize(), m.guestMemory())).containsExactly(4096L, 16L << 30);
        assertThat(m.devices()).hasSize(4).contains(
                new Manifest.DeviceInfo("src", "0000:3b:00.1", "v2", List.of("STOP_COPY", "P2P", "PRE_COPY"), "mlx5-vf", 45,
                        "iommufd", "dma-logging"),
                new Manifest.DeviceInfo("dst", "0000:3b:00.2", "v2", List.of("STOP_COPY", "P2P", "PRE_COPY"), "mlx5-vf", 46,
                        "iommufd", "dma-logging"));
        assertThat(m.iommu()).extracting(Manifest.IommuObject::host, Manifest.IommuObject::kind, Manifest.IommuObject::id)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("src", "iommufd", "iommufd0"),
                        org.assertj.core.groups.Tuple.tuple("dst", "iommufd", "iommufd0"));
        assertThat(m.scenario()).isEqualTo(new Manifest.ScenarioInfo("two-devices-p2p", 99));
        assertThat(m.complete()).isFalse();
        assertThat(m.tables()).isEmpty();
    }

    @Test
    void aV1DeviceHasNoFeaturesAndTheCommandCanBeGiven() throws Exception {
        Manifest m = Recording.of(ScenarioLoader.builtIn("v1-legacy")).command("migtrace record --scenario v1-legacy")
                .manifest();

        assertThat(m.source().command()).isEqualTo("migtrace record --scenario v1-legacy");
        assertThat(m.scenario().seed()).isEqualTo(5);
        assertThat(m.hosts()).allSatisfy(h -> assertThat(h.qemu()).isEqualTo("7.2"));
        assertThat(m.devices()).allSatisfy(d -> {
            assertThat(d.protocol()).isEqualTo("v1");
            assertThat(d.features()).isEmpty();
            assertThat(d.dirtyTracking()).isEqualTo("page-pinning");
            assertThat(d.iommuBackend()).isEqualTo("type1");
        });
        assertThat(m.iommu()).allSatisfy(o -> assertThat(o.id()).isEqualTo("container0"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1-legacy", "two-devices-p2p"})
    void theManifestsIommuContextsAreObjectsTheEventsName(String scenario) throws Exception {
        Manifest m = Recording.of(ScenarioLoader.builtIn(scenario)).manifest();
        Recorded r = Recorded.builtIn(scenario);

        assertThat(m.iommu()).isNotEmpty().allSatisfy(o -> assertThat(r.sink.kind("syscall")).anySatisfy(row -> {
            assertThat(row.str(EventColumn.HOST)).isEqualTo(o.host());
            assertThat(row.str(EventColumn.OBJECT)).isEqualTo(o.id());
        }));
        assertThat(m.devices()).allSatisfy(d -> assertThat(r.sink.kind("syscall"))
                .anySatisfy(row -> assertThat(List.of(row.str(EventColumn.HOST), String.valueOf(row.str(EventColumn.DEVICE))))
                        .containsExactly(d.host(), d.name())));
    }

    @Test
    void theRunUsesTheRecordingsSeed() throws Exception {
        var report = Recording.of(ScenarioLoader.builtIn("v1-legacy")).seed(1234).run(new CountingSink());

        assertThat(report.seed()).isEqualTo(1234);
    }
}
