package org.migtrace.trace;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.Ioctl;

/**
 * A representative trace for tests: syscalls (some failing), state changes, memory writes and dirty
 * bitmaps with runs, migration steps with iterations rows, a lost-event marker; nulls in most
 * columns; u64 bit patterns (IOVA 0xFFFF_FFFF_FFFF_F000) in int64 columns.
 */
record SampleTrace(Manifest start, List<RecordedEvent> events, List<RecordedDirtyRun> dirtyRuns,
                   List<IterationRow> iterations, long lost) {

    static final long HIGH_IOVA = 0xFFFF_FFFF_FFFF_F000L;

    static Manifest startManifest() {
        return Manifest.start(new Manifest.Source("simulated", "migtrace 0.1.0", "sim run --scenario nic-converges"),
                List.of(new Manifest.HostInfo("src", "6.8.0", "9.2.0"), new Manifest.HostInfo("dst", "6.8.0", "9.2.0")),
                4096L, 4L << 30,
                List.of(new Manifest.DeviceInfo("src", "0000:3b:00.1", "v2", List.of("STOP_COPY", "PRE_COPY"), "mlx5-vf",
                        12, "iommufd", "dma-logging")),
                List.of(new Manifest.IommuObject("src", "hwpt", "hwpt1", Map.of("dirty_tracking", "true", "ioas", "ioas1"))),
                new Manifest.ScenarioInfo("nic-converges", 42));
    }

    /** {@code n} events cycling through the kinds, their dirty runs and iterations rows. */
    static SampleTrace of(int n) {
        List<RecordedEvent> events = new ArrayList<>();
        List<RecordedDirtyRun> runs = new ArrayList<>();
        List<IterationRow> iterations = new ArrayList<>();
        long lost = 0;
        int iteration = 0;
        for (int i = 0; i < n; i++) {
            long seq = i;
            long ts = 1_000L * i + (i % 3);
            RecordedEvent e = switch (i % 8) {
                case 0 -> syscall(seq, ts, "openat", null, null, null, 7L, "/dev/vfio/devices/vfio0");
                case 1 -> ioctl(seq, ts, Ioctl.VFIO_DEVICE_FEATURE, 0L, "MIG_DEVICE_STATE", "SET", "PRE_COPY", 6L);
                case 2 -> ioctl(seq, ts, Ioctl.VFIO_DEVICE_FEATURE, Errno.EINVAL.ret(), "MIG_DEVICE_STATE", "SET",
                        "RESUMING", 4L);
                case 3 -> bitmap(seq, ts);
                case 4 -> stateChange(seq, ts);
                case 5 -> write(seq, ts, i % 16 == 5 ? "dma_write" : "cpu_write");
                case 6 -> migration(seq, ts, "ITERATION");
                default -> i % 64 == 7 ? lostMarker(seq, ts, 3) : migration(seq, ts, "SETUP");
            };
            events.add(e);
            switch (i % 8) {
                case 3 -> {
                    runs.add(new RecordedDirtyRun(seq, "bitmap", 4096, Long.divideUnsigned(HIGH_IOVA, 4096) - 1, 1));
                    runs.add(new RecordedDirtyRun(seq, "bitmap", 4096, 0x100 + i, 1 + i % 5));
                    long bits = 0x8000_0000_0000_0015L | ((long) (i & 0xF0) << 8); // scattered: a word row
                    runs.add(new RecordedDirtyRun(seq, "bitmap", 4096, 0x10000 + 64L * i, Long.bitCount(bits), bits));
                }
                case 5 -> runs.add(new RecordedDirtyRun(seq, e.op().equals("DMA_WRITE") ? "dma_write" : "cpu_write",
                        4096, 0x1000 + 8L * i, 8));
                case 6 -> iterations.add(new IterationRow(seq, ts, i % 16 == 6 ? "src" : null, iteration++, ts, 1000,
                        100 + i, 20, 110, 4096L * 1000, 1 << 20, 1_250_000_000L, 8L << 20, 1 << 20, 300L << 20,
                        iteration == 1 ? "setup" : "iterate"));
                default -> { }
            }
            if (e.op().equals("LOST")) {
                lost += e.count();
            }
        }
        return new SampleTrace(startManifest(), List.copyOf(events), List.copyOf(runs), List.copyOf(iterations), lost);
    }

    /** Writes the sample with the given batch size and closes the writer. */
    void write(Path dir, int batchRows) throws IOException {
        try (TraceWriter w = TraceWriter.create(dir, start, new TraceWriter.Options(batchRows))) {
            appendTo(w);
        }
    }

    void appendTo(TraceSink sink) {
        int run = 0;
        int it = 0;
        for (RecordedEvent e : events) {
            long seq = e.copyTo(sink.event()).commit();
            while (run < dirtyRuns.size() && dirtyRuns.get(run).eventSeq() == seq) {
                RecordedDirtyRun r = dirtyRuns.get(run++);
                if (r.isWord()) {
                    sink.dirtyWord(seq, r.dirtySource().orElseThrow(), r.pageSize(), r.firstPage(), r.bits());
                } else {
                    sink.dirtyRun(seq, r.dirtySource().orElseThrow(), r.pageSize(), r.firstPage(), r.pageCount());
                }
            }
            while (it < iterations.size() && iterations.get(it).seq() == seq) {
                sink.iteration(iterations.get(it++));
            }
        }
        sink.addLostEvents(lost);
    }

    static RecordedEvent syscall(long seq, long ts, String op, Long cmd, Long ret, String errno, Long count, String object) {
        return new RecordedEvent(seq, ts, "src", 4242, 4244, "live_migration", "vmm", "syscall", op, cmd, 9, "DEVICE",
                object, "0000:3b:00.1", null, null, null, null, null, null, null, null, null, null, null, null, null,
                count, null, null, null, null, ret, errno, errno == null ? null : Errno.valueOf(errno).number(), null);
    }

    static RecordedEvent ioctl(long seq, long ts, Ioctl ioctl, long ret, String feature, String ops, String state,
                               long raw) {
        String errno = ret < 0 ? Errno.ofReturn(ret).orElseThrow().name() : null;
        return new RecordedEvent(seq, ts, "src", 4242, 4244, "live_migration", "vmm", "syscall", ioctl.name(),
                ioctl.number(), 23, "DEVICE", "0000:3b:00.1", "0000:3b:00.1", feature, ops, (long) (2 | 1 << 17), 24L, null,
                null, null, null, state, null, ret < 0 ? null : state, raw, ret < 0 ? null : 31, null, null, null, null,
                null, ret, errno, errno == null ? null : -(int) ret, "{\"in\":{\"argsz\":24},\"out\":{}}");
    }

    static RecordedEvent bitmap(long seq, long ts) {
        return new RecordedEvent(seq, ts, "src", 4242, 4244, "live_migration", "vmm", "syscall",
                Ioctl.VFIO_IOMMU_DIRTY_PAGES.name(), Ioctl.VFIO_IOMMU_DIRTY_PAGES.number(), 5, "CONTAINER", "container0",
                null, null, null, 4L, 40L, HIGH_IOVA, 4096L, 4096L, null, null, null, null, null,
                null, null, null, null, null, null, 0L, null, null, null);
    }

    static RecordedEvent stateChange(long seq, long ts) {
        return new RecordedEvent(seq, ts, "src", null, null, null, "kernel", "state", "DEVICE_STATE", null, null, null,
                null, "0000:3b:00.1", null, null, null, null, null, null, null, null, null, "RUNNING", "PRE_COPY", 6L,
                null, null, null, null, null, null, null, null, null, null);
    }

    static RecordedEvent write(long seq, long ts, String source) {
        boolean dma = source.equals("dma_write");
        return new RecordedEvent(seq, ts, "src", null, null, dma ? null : "CPU 0/KVM", dma ? "device_dma" : "guest_cpu",
                "write", dma ? "DMA_WRITE" : "CPU_WRITE", null, null, null, null, dma ? "0000:3b:00.1" : null, null, null,
                null, null, null, 8L * 4096, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null);
    }

    static RecordedEvent migration(long seq, long ts, String op) {
        return new RecordedEvent(seq, ts, "src", 4242, 4250, "live_migration", "migration", "migration", op, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null);
    }

    static RecordedEvent lostMarker(long seq, long ts, long count) {
        return new RecordedEvent(seq, ts, null, null, null, null, "capture", "lost", "LOST", null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, count, null, null, null, null,
                null, null, null, "{\"reason\":\"ring buffer full\"}");
    }
}
