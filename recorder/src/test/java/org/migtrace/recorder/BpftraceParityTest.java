package org.migtrace.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.migtrace.recorder.importer.bpftrace.BpftraceImport;
import org.migtrace.recorder.importer.bpftrace.BpftraceReport;
import org.migtrace.sim.scenario.ScenarioLoader;
import org.migtrace.trace.EventColumn;

/**
 * Decoding parity: a capture of a real host and a simulated recording of the same calls give the
 * same rows. A simulated migration is recorded by {@link SimRecorder} and, alongside, turned into
 * the lines the capture script would print about the source host's VMM ({@link ScriptEmulator}:
 * struct words at entry and exit, memory blocks, bitmap chunks); the import of those lines must give
 * the recorder's syscall rows, column by column, with the same dirty runs, up to the keys only a
 * capture adds to {@code args} (duration, captured bitmap bytes).
 */
class BpftraceParityTest {
    private static final List<String> CAPTURE_ONLY = List.of("duration_ns", "bitmap_bytes", "bitmap_captured_bytes",
            "bitmap_after_failure");

    @ParameterizedTest
    @ValueSource(strings = {"nic-converges", "iommufd-hugepages", "v1-legacy", "vf-no-dirty-tracking"})
    void importedCaptureGivesTheRecordersSyscallRows(String scenario) throws Exception {
        ScriptEmulator script = new ScriptEmulator("src", Long.MAX_VALUE);
        Recorded sim = Recorded.of(ScenarioLoader.builtIn(scenario), script);
        List<MemorySink.Row> expected = sim.sink.rows.stream()
                .filter(r -> "src".equals(r.str(EventColumn.HOST)) && r.is("syscall", r.str(EventColumn.OP)))
                .filter(BpftraceParityTest::followedByTheScript)
                .toList();
        MemorySink imported = new MemorySink();
        BpftraceReport report = BpftraceImport.run(new ByteArrayInputStream(ScriptEmulator.utf8(script.output())),
                scenario + ".json", imported, BpftraceImport.Options.defaults().host("src").cdevName(sysfs(expected)));

        assertThat(report.complete()).isTrue();
        assertThat(report.lostEvents()).isZero();
        assertThat(imported.rows.stream().map(BpftraceParityTest::brief).toList())
                .isEqualTo(expected.stream().map(BpftraceParityTest::brief).toList());
        long bitmapsCompared = 0;
        for (int i = 0; i < expected.size(); i++) {
            MemorySink.Row want = expected.get(i);
            MemorySink.Row got = imported.rows.get(i);
            assertThat(comparable(got)).as("row %d: %s", i, want.values()).isEqualTo(comparable(want));
            assertThat(runs(imported, got)).as("dirty runs of row %d (%s)", i, want.str(EventColumn.OP))
                    .isEqualTo(runs(sim.sink, want));
            bitmapsCompared += sim.sink.runsOf(want.seq()).isEmpty() ? 0 : 1;
        }
        if (!scenario.equals("v1-legacy")) {
            assertThat(bitmapsCompared).as("rows with dirty runs").isPositive();
        }
    }

    /**
     * What sysfs tells a live capture about a device cdev ({@code /sys/class/vfio-dev/vfio0/device}):
     * here, the device the simulator's rows name on the fd that opening the cdev returned.
     */
    private static java.util.function.UnaryOperator<String> sysfs(List<MemorySink.Row> rows) {
        Map<String, String> names = new java.util.HashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            MemorySink.Row r = rows.get(i);
            if (r.is("syscall", "openat") && r.str(EventColumn.OBJECT).startsWith("/dev/vfio/devices/")) {
                for (MemorySink.Row later : rows.subList(i + 1, rows.size())) {
                    if (r.num(EventColumn.RET).equals(later.num(EventColumn.FD))) {
                        names.put(r.str(EventColumn.OBJECT), later.str(EventColumn.OBJECT));
                        break;
                    }
                }
            }
        }
        return path -> names.getOrDefault(path, path);
    }

    /**
     * The calls the script prints: opens of VFIO's paths, every call on an fd it follows, VFIO-numbered
     * ioctls on any fd; not mmap/munmap, nor a close of an fd it does not follow (QEMU's close(-1)).
     */
    private static boolean followedByTheScript(MemorySink.Row r) {
        String op = r.str(EventColumn.OP);
        String kind = r.str(EventColumn.FD_KIND);
        boolean followedFd = kind != null && !kind.equals("OTHER");
        return switch (op) {
            case "openat" -> true;
            case "mmap", "munmap" -> false;
            case "close", "read", "write", "pread64", "pwrite64" -> followedFd;
            default -> followedFd || (r.num(EventColumn.CMD) != null && (r.num(EventColumn.CMD) & 0xFFFFFF00L) == 0x3B00);
        };
    }

    private static String brief(MemorySink.Row r) {
        return r.num(EventColumn.TS_NS) + " " + r.num(EventColumn.TID) + " " + r.str(EventColumn.OP) + " " + r.num(EventColumn.FD)
                + " " + r.num(EventColumn.RET);
    }

    /** The row's columns without seq, with args parsed and the capture-only keys taken out. */
    private static Map<EventColumn, Object> comparable(MemorySink.Row r) {
        Map<EventColumn, Object> m = new EnumMap<>(r.values());
        m.remove(EventColumn.SEQ);
        JsonNode args = r.args();
        if (args instanceof ObjectNode o) {
            o.remove(CAPTURE_ONLY);
            m.put(EventColumn.ARGS, o.isEmpty() ? null : o);
        }
        m.values().removeIf(v -> v == null);
        return m;
    }

    private static List<List<Long>> runs(MemorySink sink, MemorySink.Row r) {
        List<List<Long>> out = new ArrayList<>();
        for (MemorySink.Run run : sink.runsOf(r.seq())) {
            out.add(List.of(run.pageSize(), run.firstPage(), run.pageCount(), run.bits()));
        }
        return out;
    }
}
