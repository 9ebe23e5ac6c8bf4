package org.migtrace.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.migtrace.recorder.ScriptEmulator;
import org.migtrace.recorder.importer.InputSource;
import org.migtrace.recorder.importer.bpftrace.BpftraceImport;
import org.migtrace.replay.kernel.KernelTargetFactory;
import org.migtrace.sim.run.Simulation;
import org.migtrace.sim.scenario.ScenarioLoader;

/**
 * A capture as bpftrace takes it on a real host — the capture script's output about the source
 * VMM (the recorder's emulation of the script), imported — replays on the reference model, its
 * devices (and their state sizes) inferred from its rows.
 */
class BpftraceCaptureReplayTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"nic-converges", "iommufd-hugepages", "v1-legacy", "vf-no-dirty-tracking"})
    void anImportedCaptureReplaysWithoutDivergence(String scenario) throws Exception {
        ScriptEmulator script = new ScriptEmulator("src", Long.MAX_VALUE);
        Simulation.of(ScenarioLoader.builtIn(scenario)).run(script);
        Path trace = dir.resolve(scenario);
        BpftraceImport.toTrace(InputSource.stream(scenario + ".json",
                new ByteArrayInputStream(ScriptEmulator.utf8(script.output()))), trace, BpftraceImport.manifest(null, "test", List.of()),
                BpftraceImport.Options.defaults().host("src"));
        ReplayResult r = Replayer.replay(trace, new KernelTargetFactory(), null);
        assertThat(r.divergences()).isEmpty();
        assertThat(r.compared()).isGreaterThan(50);
        assertThat(r.origin()).startsWith("bpftrace");
    }

    @org.junit.jupiter.api.Test
    void aVariantDivergesOnTheCaptureAtItsFirstReport() throws Exception {
        ScriptEmulator script = new ScriptEmulator("src", Long.MAX_VALUE);
        Simulation.of(ScenarioLoader.builtIn("nic-converges")).run(script);
        Path trace = dir.resolve("nic");
        BpftraceImport.toTrace(InputSource.stream("nic.json",
                new ByteArrayInputStream(ScriptEmulator.utf8(script.output()))), trace,
                BpftraceImport.manifest(null, "test", List.of()), BpftraceImport.Options.defaults().host("src"));
        ReplayResult r = Replayer.replay(trace, new org.migtrace.replay.variant.DmaLoggingLastPage(), null);
        assertThat(r.derived()).isPositive();
        ReplayResult nc = Replayer.replay(trace, new org.migtrace.replay.variant.NoClearReport(), null);
        assertThat(nc.divergences()).isNotEmpty();
        assertThat(nc.divergences().get(0).op()).isEqualTo("VFIO_DEVICE_FEATURE");
        assertThat(nc.divergences().get(0).field()).isEqualTo("bitmap");
    }
}
