package org.migtrace.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.migtrace.cli.JvmFlags;
import org.migtrace.recorder.Dirs;
import org.migtrace.recorder.Recording;
import org.migtrace.recorder.SimRecorder;
import org.migtrace.replay.ReplayResult;
import org.migtrace.replay.Replayer;
import org.migtrace.replay.kernel.KernelTargetFactory;
import org.migtrace.replay.spi.Outcome;
import org.migtrace.replay.spi.ReplayTarget;
import org.migtrace.replay.spi.Stimulus;
import org.migtrace.sim.SimClock;
import org.migtrace.sim.SimHost;
import org.migtrace.sim.SimThread;
import org.migtrace.sim.run.internal.HostKernel;
import org.migtrace.sim.scenario.Scenario;
import org.migtrace.sim.scenario.ScenarioLoader;
import org.migtrace.sim.vmm.ContainerCalls;
import org.migtrace.sim.vmm.DeviceCalls;
import org.migtrace.trace.RecordedEvent;
import org.migtrace.trace.RecordedTrace;
import org.migtrace.trace.TableCursor;
import org.migtrace.trace.TraceWriter;
import org.migtrace.uapi.Structs;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Replay of ioctl events on the reference target ({@code kernel}) as {@code migtrace replay} runs it
 * (the targets on the caller's thread, the events read ahead on a second one): a trace of
 * {@value #CALLS} ioctls a VMM makes over and over during a migration (MIG_DEVICE_STATE GET,
 * MIG_DATA_SIZE, GET_REGION_INFO, GROUP_GET_STATUS) on nic-converges's mlx5 VF behind type1.
 * Scores are events per second.
 *
 * <ul>
 *   <li>{@code replayTrace}: the whole replay, reading the Arrow files (ahead, on a thread of
 *       their own) and comparing each outcome;</li>
 *   <li>{@code applyOnly}: the target alone, on stimuli read beforehand with the cursor replay
 *       reads with (so a text repeated from row to row is one {@code String}, as in a replay), a
 *       fresh target per invocation, so each pass starts from an opened device;</li>
 *   <li>{@code readOnly}: reading the events table alone, with the cursor replay reads it with
 *       ({@code eventsSharingValues}); with {@code applyOnly}, what bounds {@code replayTrace};</li>
 *   <li>{@code readPlain}: the same with the plain cursor ({@code events()}), for comparison.</li>
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "--add-opens=java.base/java.nio=ALL-UNNAMED", JvmFlags.COLLECTOR})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 3, time = 5)
public class ReplayBenchmark {
    static final int CALLS = 100_000;

    @State(Scope.Benchmark)
    public static class Trace {
        Path dir;
        RecordedTrace trace;
        List<Stimulus> stimuli = new ArrayList<>();

        @Setup(Level.Trial)
        public void record() throws Exception {
            dir = Files.createTempDirectory("replay-bench");
            Path t = dir.resolve("ioctls");
            recordIoctls(t, CALLS);
            trace = RecordedTrace.open(t);
            try (TableCursor<RecordedEvent> events = trace.eventsSharingValues()) {
                while (events.hasNext()) {
                    RecordedEvent e = events.next();
                    if ("syscall".equals(e.kind())) {
                        stimuli.add(new Stimulus(e, List.of()));
                    }
                }
            }
        }

        @TearDown(Level.Trial)
        public void delete() throws IOException {
            trace.close();
            Dirs.delete(dir);
        }
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public ReplayResult replayTrace(Trace t) throws Exception {
        return Replayer.replay(t.trace.directory(), new KernelTargetFactory(), null);
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public long readOnly(Trace t) throws Exception {
        try (RecordedTrace trace = RecordedTrace.open(t.trace.directory())) {
            return sumOfSeqs(trace.eventsSharingValues());
        }
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public long readPlain(Trace t) throws Exception {
        try (RecordedTrace trace = RecordedTrace.open(t.trace.directory())) {
            return sumOfSeqs(trace.events());
        }
    }

    private static long sumOfSeqs(TableCursor<RecordedEvent> events) throws Exception {
        long sum = 0;
        try (events) {
            while (events.hasNext()) {
                sum += events.next().seq();
            }
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public long applyOnly(Trace t) {
        long sum = 0;
        try (ReplayTarget target = KernelTargetFactory.create(t.trace.manifest())) {
            for (Stimulus s : t.stimuli) {
                Outcome o = target.apply(s);
                sum += o.ret() == null ? 0 : o.ret();
            }
        }
        return sum;
    }

    /** A VMM on nic-converges's source host: set-up, then {@code n} ioctls in a loop (about). */
    static void recordIoctls(Path dir, int n) throws Exception {
        Scenario scenario = ScenarioLoader.builtIn("nic-converges");
        SimHost host = new SimHost("src", new SimClock());
        HostKernel.install(host, scenario, scenario.seed());
        try (TraceWriter writer = TraceWriter.create(dir, Recording.of(scenario).command("ReplayBenchmark").manifest())) {
            host.addObserver(new SimRecorder(writer));
            SimThread t = host.spawn("qemu-system-x86", 4242).mainThread();
            ContainerCalls c = new ContainerCalls(t);
            int container = (int) c.openContainer();
            int group = (int) c.openGroup(45);
            c.setContainer(group, container);
            c.setIommu(container, Structs.VFIO_TYPE1v2_IOMMU);
            DeviceCalls d = new DeviceCalls(t, (int) c.getDeviceFd(group, "0000:3b:00.1"));
            for (int i = 6; i < n; i += 4) {
                d.getState();
                d.dataSize();
                d.regionInfo(i % 9);
                c.groupStatus(group);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
