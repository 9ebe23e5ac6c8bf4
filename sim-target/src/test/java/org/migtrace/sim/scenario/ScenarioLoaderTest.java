package org.migtrace.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.migtrace.sim.vendor.ArcFault;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.MigState;
import org.migtrace.uapi.MigrationFlag;

class ScenarioLoaderTest {
    static final java.util.List<String> BUILT_IN = ScenarioLoader.BUILT_IN;

    private static final String MINIMAL = "name: tiny\nguest:\n  memory: 4GiB\n";

    @ParameterizedTest
    @FieldSource("BUILT_IN")
    void everyBuiltInParsesAndSaysWhatItShows(String name) throws Exception {
        Scenario s = ScenarioLoader.builtIn(name);
        assertThat(s.name()).isEqualTo(name);
        assertThat(s.description()).isNotBlank();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("scenarios/" + name + ".yaml")) {
            String first = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().findFirst().orElseThrow();
            assertThat(first).startsWith("# Shows: ");
        }
    }

    /** Built-ins are parsed once and shared: what makes that safe is that nothing in one can change. */
    @Test
    void aBuiltInIsParsedOnceAndCannotBeChangedByWhoeverHoldsIt() throws Exception {
        Scenario first = ScenarioLoader.builtIn("two-devices-p2p");
        assertThat(ScenarioLoader.builtIn("two-devices-p2p")).isSameAs(first);
        assertThat(ScenarioLoader.resolve("two-devices-p2p")).isSameAs(first);
        assertThat(first.devices()).hasSize(2);
        assertThatThrownBy(() -> first.devices().clear())
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> first.iommu().pageSizes().clear())
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> first.devices().get(0).faults().add("RUNNING>STOP:EIO"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void builtInsShowWhatTheirNamesPromise() throws Exception {
        Scenario nic = ScenarioLoader.builtIn("nic-converges");
        assertThat(nic.devices()).singleElement().satisfies(d -> {
            assertThat(d.driver()).isEqualTo(DriverModel.MLX5_VF);
            assertThat(d.has(MigrationFlag.PRE_COPY)).isTrue();
            assertThat(d.dirtyTracking()).isEqualTo(DirtyTracking.DMA_LOGGING);
        });
        Scenario gpu = ScenarioLoader.builtIn("gpu-no-converge");
        DeviceSpec g = gpu.devices().get(0);
        assertThat(g.stateDirtyRate().bytesPerSecond()).isGreaterThan(gpu.migration().bandwidth().bytesPerSecond());
        Scenario vf = ScenarioLoader.builtIn("vf-no-dirty-tracking");
        assertThat(vf.iommu().backend()).isEqualTo(IommuBackend.TYPE1);
        assertThat(vf.devices().get(0).dirtyTracking()).isEqualTo(DirtyTracking.IOMMU);
        assertThat(ScenarioLoader.builtIn("two-devices-p2p").devices())
                .hasSize(2).allSatisfy(d -> assertThat(d.has(MigrationFlag.P2P)).isTrue());
        Scenario v1 = ScenarioLoader.builtIn("v1-legacy");
        assertThat(v1.devices().get(0).protocol()).isEqualTo(Protocol.V1);
        assertThat(v1.devices().get(0).iommuBackend()).isEqualTo(IommuBackend.TYPE1);
        Scenario huge = ScenarioLoader.builtIn("iommufd-hugepages");
        assertThat(huge.guest().backing()).isEqualTo(ByteSize.SZ_2M);
        assertThat(huge.iommu().backend()).isEqualTo(IommuBackend.IOMMUFD);
        assertThat(ScenarioLoader.builtIn("tiny-1tib").guest().memory().bytes()).isEqualTo(1L << 40);
    }

    @Test
    void aMinimalScenarioGetsQemuDefaults() throws Exception {
        Scenario s = ScenarioLoader.parse(MINIMAL, "min.yaml");
        assertThat(s.seed()).isZero();
        assertThat(s.guest().backing()).isEqualTo(ByteSize.SZ_4K);
        assertThat(s.guest().vcpus()).isEqualTo(1);
        assertThat(s.iommu().backend()).isEqualTo(IommuBackend.TYPE1);
        assertThat(s.iommu().pgsizeBitmap()).isEqualTo((1L << 12) | (1L << 21) | (1L << 30));
        assertThat(s.devices()).isEmpty();
        assertThat(s.cpuWorkload().isIdle()).isTrue();
        assertThat(s.migration().bandwidth().bytesPerSecond()).isEqualTo(128L << 20);
        assertThat(s.migration().downtimeLimit()).isEqualTo(Duration.ofMillis(300));
        assertThat(s.migration().switchoverInclusive()).isTrue();
    }

    @Test
    void devicesTakeTheirDriversDefaultsAndFreeGroups() throws Exception {
        Scenario s = ScenarioLoader.parse(MINIMAL + """
                iommu: {backend: iommufd}
                devices:
                  - {name: "0000:3b:00.1", driver: mlx5-vf}
                  - {name: "0000:3b:00.2", driver: hisi-acc-vf, group: 1}
                  - {name: "0000:3b:00.3", driver: plain-vf, iommu-backend: type1}
                """, "d.yaml");
        DeviceSpec mlx5 = s.devices().get(0);
        assertThat(mlx5.features()).isEqualTo(EnumSet.allOf(MigrationFlag.class));
        assertThat(mlx5.dirtyTracking()).isEqualTo(DirtyTracking.DMA_LOGGING);
        assertThat(mlx5.iommuBackend()).isEqualTo(IommuBackend.IOMMUFD);
        assertThat(mlx5.group()).as("1 is taken explicitly").isEqualTo(2);
        assertThat(s.devices().get(1).features()).containsExactly(MigrationFlag.STOP_COPY, MigrationFlag.PRE_COPY);
        assertThat(s.devices().get(2).group()).isEqualTo(3);
        assertThat(s.devices().get(2).iommuBackend()).isEqualTo(IommuBackend.TYPE1);
    }

    @Test
    void pciAddressesThatLookLikeYamlNumbersStayText() throws Exception {
        Scenario s = ScenarioLoader.parse(MINIMAL + "devices:\n  - name: 0000:00:05.0\n    driver: plain-vf\n"
                + "migration:\n  qemu-version: 9.10\n", "n.yaml");
        assertThat(s.devices().get(0).name()).isEqualTo("0000:00:05.0");
        assertThat(s.migration().qemuVersion()).isEqualTo("9.10");
        assertThat(s.migration().switchoverInclusive()).as("9.x compares pending < threshold").isFalse();
    }

    @Test
    void jsonWorksToo(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("s.json");
        Files.writeString(f, "{\"name\": \"j\", \"guest\": {\"memory\": \"2GiB\"}, \"seed\": 42}");
        assertThat(ScenarioLoader.load(f).seed()).isEqualTo(42L);
        assertThat(ScenarioLoader.resolve(f.toString()).name()).isEqualTo("j");
    }

    @Test
    void theCompleteExampleInTheDocsParses() throws Exception {
        String doc = Files.readString(Path.of("../docs/scenarios.md"));
        String yaml = doc.substring(doc.lastIndexOf("```yaml") + 7, doc.lastIndexOf("```"));
        Scenario s = ScenarioLoader.parse(yaml, "docs/scenarios.md");
        assertThat(s.name()).isEqualTo("full-example");
        assertThat(s.devices()).hasSize(2);
        assertThat(s.devices().get(1).iommuBackend()).isEqualTo(IommuBackend.TYPE1);
        assertThat(s.devices().get(1).v1().dataSection()).isEqualTo(V1DataSection.SPARSE_MMAP);
        assertThat(s.devices().get(0).dma().burst().offMultiplier()).isEqualByComparingTo("0.5");
        assertThat(s.devices().get(0).arcFaults()).containsExactly(
                ArcFault.fails(MigState.STOP, MigState.RUNNING_P2P, Errno.EBUSY).times(1));
        assertThat(s.migration().switchoverInclusive()).isFalse();
    }

    // ---- bad input: file, line, column, field

    @Test
    void unknownFieldIsReportedAtItsNameWithTheKnownOnes() {
        ScenarioException e = fail("name: x\nguest:\n  memory: 4GiB\n  vcpu: 2\n");
        assertThat(e.getMessage()).startsWith("bad.yaml:4:3: guest.vcpu: unknown field 'vcpu'");
        assertThat(e.problem()).contains("known fields: backing, cpu-vendor, max-ram-below-4g, memory, vcpus");
    }

    @Test
    void badUnitIsReportedAtTheValue() {
        ScenarioException e = fail("name: x\nguest:\n  memory: 4GiX\n");
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.column()).isEqualTo(11);
        assertThat(e.field()).isEqualTo("guest.memory");
        assertThat(e.problem()).contains("unknown unit 'GiX'");
    }

    @Test
    void missingRequiredValueNamesTheFieldAtItsParent() {
        ScenarioException e = fail("name: x\nguest:\n  backing: 2MiB\n");
        assertThat(e.getMessage()).isEqualTo("bad.yaml:3:3: guest.memory: missing required value");
        ScenarioException burst = fail(MINIMAL + "cpu-workload:\n  rate: 10 pages/s\n  burst: {on: 10ms}\n");
        assertThat(burst.field()).isEqualTo("cpu-workload.burst.off");
        assertThat(burst.line()).isEqualTo(6);
    }

    @Test
    void p2pWithoutStopCopyIsInconsistent() {
        ScenarioException e = fail(MINIMAL + "devices:\n  - name: 0000:3b:00.1\n    driver: mlx5-vf\n"
                + "    features: [p2p, pre-copy]\n");
        assertThat(e.field()).isEqualTo("devices[0].features");
        assertThat(e.line()).isEqualTo(7);
        assertThat(e.problem()).contains("stop-copy is mandatory");
    }

    @Test
    void preCopyOnV1IsInconsistent() {
        ScenarioException e = fail(MINIMAL + "devices:\n  - name: 0000:3b:00.1\n    driver: v1-vendor\n"
                + "    features: [stop-copy, pre-copy]\n");
        assertThat(e.field()).isEqualTo("devices[0].features");
        assertThat(e.problem()).contains("do not apply to protocol v1");
        ScenarioException p = fail(MINIMAL + "devices:\n  - name: 0000:3b:00.1\n    driver: mlx5-vf\n"
                + "    protocol: v1\n");
        assertThat(p.getMessage()).isEqualTo("bad.yaml:7:15: devices[0].protocol: driver mlx5-vf speaks v2, not v1");
    }

    @Test
    void oneGroupOnTwoBackendsIsInconsistent() {
        ScenarioException e = fail(MINIMAL + """
                devices:
                  - name: 0000:3b:00.0
                    driver: plain-vf
                    group: 7
                  - name: 0000:3b:00.1
                    driver: plain-vf
                    group: 7
                    iommu-backend: iommufd
                """);
        assertThat(e.field()).isEqualTo("devices[1].group");
        assertThat(e.line()).isEqualTo(10);
        assertThat(e.problem()).contains("must use one backend");
    }

    @Test
    void crossFieldRulesPointAtTheFieldToChange() {
        assertThat(fail(MINIMAL + "iommu: {backend: iommufd}\ndevices:\n  - {name: 0000:3b:00.0, driver: v1-vendor}\n")
                .field()).isEqualTo("iommu.backend");
        assertThat(fail(MINIMAL + "iommu: {backend: iommufd, dirty-tracking: false}\n"
                + "devices:\n  - {name: 0000:3b:00.0, driver: hisi-acc-vf}\n").field())
                .isEqualTo("devices[0].dirty-tracking");
        assertThat(fail(MINIMAL + "devices:\n  - {name: 0000:3b:00.0, driver: hisi-acc-vf, features: [stop-copy, p2p]}\n")
                .problem()).contains("does not support p2p");
        assertThat(fail(MINIMAL + "devices:\n  - {name: 0000:3b:00.0, driver: mtty}\n").problem())
                .contains("named by its UUID");
        assertThat(fail(MINIMAL + "devices:\n  - {name: 0000:3b:00.0, driver: plain-vf, precopy-initial: 1MiB}\n")
                .problem()).contains("needs the pre-copy feature");
        assertThat(fail(MINIMAL + "cpu-workload: {pattern: uniform, rate: 1 pages/s, s: 1.2}\n").problem())
                .contains("applies only to pattern zipf");
        assertThat(fail(MINIMAL + "cpu-workload: {rate: 1 pages/s, range: {start: 0, size: 4KiB}}\n").field())
                .isEqualTo("cpu-workload.range");
        assertThat(fail("name: x\nguest: {memory: 3MiB, backing: 2MiB}\n").problem())
                .contains("not a multiple of the 2MiB backing");
    }

    @Test
    void typeMismatchesSayWhatWasExpected() {
        assertThat(fail("name: x\nguest:\n  memory: 4GiB\n  vcpus: 1.5\n").getMessage())
                .isEqualTo("bad.yaml:4:10: guest.vcpus: expected a whole number");
        assertThat(fail("name: x\nguest:\n  memory: [4GiB]\n").problem()).isEqualTo("expected a single value, not a list");
        assertThat(fail(MINIMAL + "migration:\n  downtime-limit: 300\n").getMessage())
                .startsWith("bad.yaml:5:19: migration.downtime-limit: duration '300' needs a unit");
        assertThat(fail(MINIMAL + "devices: {name: a}\n").problem()).isEqualTo("expected a list");
        assertThat(fail(MINIMAL + "devices:\n  - {name: 0000:3b:00.0, driver: mlx6-vf}\n").problem())
                .startsWith("unknown value 'mlx6-vf' (expected one of mlx5-vf, hisi-acc-vf");
    }

    @Test
    void syntaxErrorsAndDuplicateKeysAreLocated() {
        ScenarioException syntax = fail("name: x\nguest: {memory: 4GiB\n");
        assertThat(syntax.line()).isEqualTo(3);
        assertThat(syntax.problem()).contains("while parsing a flow mapping (line 2)");
        ScenarioException dup = fail("name: x\nname: y\nguest: {memory: 4GiB}\n");
        assertThat(dup.line()).isEqualTo(2);
        assertThat(dup.problem()).contains("Duplicate field 'name'");
        assertThat(fail("  ").problem()).startsWith("empty scenario");
    }

    @Test
    void fileErrorsNameTheFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("broken.json");
        Files.writeString(f, "{\"name\": \"x\",\n \"guest\": {\"memory\": \"1GiB\", \"foo\": 1}}");
        ScenarioException e = catchThrowableOfType(ScenarioException.class, () -> ScenarioLoader.load(f));
        assertThat(e.getMessage()).startsWith(f + ":2:");
        assertThat(e.field()).isEqualTo("guest.foo");
        ScenarioException missing = catchThrowableOfType(ScenarioException.class,
                () -> ScenarioLoader.load(dir.resolve("nope.yaml")));
        assertThat(missing.problem()).startsWith("cannot read");
        ScenarioException unknown = catchThrowableOfType(ScenarioException.class,
                () -> ScenarioLoader.builtIn("no-such"));
        assertThat(unknown.problem()).contains("nic-converges");
    }

    @Test
    void deviceFaultsAreReadAsArcFaults() throws Exception {
        Scenario s = ScenarioLoader.parse(MINIMAL + "devices:\n  - name: 0000:3b:00.1\n    driver: mlx5-vf\n"
                + "    faults: [\"PRE_COPY_P2P>STOP_COPY:EIO:error\", \"STOP>RUNNING_P2P:EBUSY:x1\"]\n", "ok.yaml");
        assertThat(s.devices().get(0).arcFaults()).containsExactly(
                ArcFault.failsIntoError(MigState.PRE_COPY_P2P, MigState.STOP_COPY, Errno.EIO),
                ArcFault.fails(MigState.STOP, MigState.RUNNING_P2P, Errno.EBUSY).times(1));
        assertThat(ScenarioLoader.parse(MINIMAL, "ok.yaml").devices()).isEmpty();
    }

    @Test
    void aBadFaultIsReportedAtItsEntry() {
        ScenarioException e = fail(MINIMAL + "devices:\n  - name: 0000:3b:00.1\n    driver: mlx5-vf\n"
                + "    faults:\n      - RUNNING>NOWHERE:EIO\n");
        assertThat(e.field()).isEqualTo("devices[0].faults[0]");
        assertThat(e.line()).isEqualTo(8);
        assertThat(e.problem()).contains("unknown state NOWHERE");
        ScenarioException v1 = fail(MINIMAL + "devices:\n  - name: 0000:3b:00.1\n    driver: v1-vendor\n"
                + "    faults: [\"STOP>RESUMING:EIO\"]\n");
        assertThat(v1.field()).isEqualTo("devices[0].faults");
        assertThat(v1.problem()).contains("only to protocol v2");
    }

    private static ScenarioException fail(String yaml) {
        ScenarioException e = catchThrowableOfType(ScenarioException.class, () -> ScenarioLoader.parse(yaml, "bad.yaml"));
        assertThat(e).as("expected %s to be rejected", yaml).isNotNull();
        assertThat(e.source()).isEqualTo("bad.yaml");
        return e;
    }
}
