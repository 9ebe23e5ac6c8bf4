package org.migtrace.recorder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.migtrace.recorder.importer.InputSource;
import org.migtrace.recorder.importer.bpftrace.BpftraceImport;
import org.migtrace.recorder.importer.bpftrace.BpftraceReport;
import org.migtrace.trace.BadTraceException;
import org.migtrace.trace.EventColumn;
import org.migtrace.trace.RecordedTrace;
import org.migtrace.trace.TraceVerifier;

/**
 * The importer on recorded {@code bpftrace -f json} lines: every kind of object bpftrace writes, in
 * the shapes of 0.17 to 0.26 (reference §7.3), the capture script's lines, and input that is not
 * bpftrace's.
 */
class BpftraceImportTest {
    private static final String START = printf("{\"migtrace\":\"start\",\"script\":1,\"pid\":77,\"ts_ns\":1,\"bitmap_cap\":32768}");
    private static final String END = printf("{\"migtrace\":\"end\",\"ts_ns\":999999}");

    @TempDir
    Path dir;

    /** A printf object whose text is {@code payload} plus a newline, escaped as bpftrace escapes it. */
    static String printf(String payload) {
        return ScriptEmulator.envelope(payload);
    }

    static String call(long ts, int tid, String op, String rest) {
        return printf("{\"ts_ns\":" + ts + ",\"t1\":" + (ts + 500) + ",\"pid\":77,\"tid\":" + tid + ",\"op\":\"" + op + "\""
                + rest + ",\"thread\":\"qemu-kvm\"}");
    }

    static String openat(long ts, String path, int k, int fd) {
        return call(ts, 77, "openat", ",\"k\":" + k + ",\"ret\":" + fd + ",\"object\":\"" + path + "\"");
    }

    static String ioctl(long ts, int tid, int fd, int k, long cmd, long arg, long ret, String in, String out) {
        return call(ts, tid, "ioctl", ",\"fd\":" + fd + ",\"k\":" + k + ",\"cmd\":" + cmd + ",\"arg\":" + arg + ",\"ret\":" + ret
                + ",\"in\":\"" + in + "\",\"out\":\"" + out + "\",\"bitmap\":0,\"bitmap_bytes\":0,\"bitmap_captured\":0");
    }

    static Imported run(String... lines) throws Exception {
        MemorySink sink = new MemorySink();
        BpftraceReport r = BpftraceImport.run(new ByteArrayInputStream(ScriptEmulator.utf8(String.join("\n", lines) + "\n")),
                "capture.json", sink, BpftraceImport.Options.defaults().host("h1"));
        return new Imported(sink, r);
    }

    record Imported(MemorySink sink, BpftraceReport report) {
    }

    @Test
    void lostEventsInBothShapesAreCountedAndMarkedWhereTheyOccurred() throws Exception {
        Imported i = run(START,
                openat(100, "/dev/vfio/vfio", 1, 5),
                "{\"type\": \"lost_events\", \"data\": {\"events\": 7}}",                       // <= 0.23
                openat(200, "/dev/iommu", 4, 6),
                "{\"type\": \"lost_events\", \"count\": 5, \"data\": {\"events\": 5}}",         // >= 0.24
                END);
        assertThat(i.report().lostEvents()).isEqualTo(12);
        assertThat(i.report().lossReports()).isEqualTo(2);
        assertThat(i.sink().lostEvents()).isEqualTo(12);
        List<String> ops = i.sink().rows.stream().map(r -> r.str(EventColumn.OP) + (r.num(EventColumn.COUNT) == null ? ""
                : " " + r.num(EventColumn.COUNT))).toList();
        assertThat(ops).containsExactly("openat", "LOST 7", "openat", "LOST 5");
        assertThat(i.sink().kind("lost")).allSatisfy(r -> assertThat(r.str(EventColumn.ACTOR)).isEqualTo("capture"));
    }

    @Test
    void attachedProbesInBothShapes() throws Exception {
        assertThat(run("{\"type\": \"attached_probes\", \"data\": {\"probes\": 17}}", START, END).report().attachedProbes())
                .isEqualTo(17);
        assertThat(run("{\"type\": \"attached_probes\", \"count\": 18, \"data\": {\"probes\": 18}}", START, END).report()
                .attachedProbes()).isEqualTo(18);
    }

    @Test
    void helperErrorsInTheirThreeShapesAndTheOtherErrorsBecomeDiagnosticRowsAndAreCounted() throws Exception {
        Imported i = run(START,
                openat(100, "/dev/vfio/vfio", 1, 5),
                "{\"type\": \"helper_error\", \"helper\": \"probe_read\", \"retcode\": -14, \"line\": 12, \"col\": 3}",
                "{\"type\": \"helper_error\", \"msg\": \"Bad address\", \"helper\": \"probe_read\", \"retcode\": -14, \"line\": 12, \"col\": 3}",
                "{\"type\": \"helper_error\", \"msg\": \"Bad address\", \"helper\": \"probe_read\", \"retcode\": -14, "
                        + "\"filename\": \"migtrace-vfio.bt\", \"line\": 12, \"col\": 3}",
                "{\"type\": \"errorf\", \"msg\": \"bad state\", \"filename\": \"x.bt\", \"line\": 4, \"col\": 1}",
                "{\"type\": \"warnf\", \"msg\": \"careful\", \"filename\": \"x.bt\", \"line\": 5, \"col\": 1}",
                "{\"type\": \"runtime_error\", \"msg\": \"division by zero\", \"filename\": \"x.bt\", \"line\": 6, \"col\": 2}",
                END);
        assertThat(i.sink().kind("diagnostic")).extracting(r -> r.str(EventColumn.OP))
                .containsExactly("helper_error", "helper_error", "helper_error", "errorf", "warnf", "runtime_error");
        MemorySink.Row first = i.sink().kind("diagnostic").get(0);
        assertThat(first.args().get("retcode").asLong()).isEqualTo(-14);
        assertThat(first.args().get("input_line").asLong()).isEqualTo(3);
        assertThat(i.report().diagnostics()).extracting(BpftraceReport.Message::type, BpftraceReport.Message::count)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("helper_error", 1L),
                        org.assertj.core.groups.Tuple.tuple("helper_error", 2L),
                        org.assertj.core.groups.Tuple.tuple("errorf", 1L), org.assertj.core.groups.Tuple.tuple("warnf", 1L),
                        org.assertj.core.groups.Tuple.tuple("runtime_error", 1L));
        assertThat(i.report().diagnostics().get(1).text()).isEqualTo("probe_read: Bad address (script line 12)");
    }

    @Test
    void otherScriptsOutputIsCountedByTypeNeverDropped() throws Exception {
        Imported i = run(START,
                "{\"type\": \"map\", \"data\": {\"@x\": 5}}",
                "{\"type\": \"map\", \"data\": {\"@x\": {\"bpftrace,2\": 2, \"k2\": 3}}}",
                "{\"type\": \"hist\", \"data\": {\"@h\": [{\"min\": 2, \"max\": 3, \"count\": 1}]}}",
                "{\"type\": \"stats\", \"data\": {\"@s\": {\"count\": 2, \"average\": 3, \"total\": 6}}}",
                "{\"type\": \"value\", \"data\": [1, 2]}",
                "{\"type\": \"tseries\", \"data\": {\"@a\": [{\"interval_start\": \"2025-01-01 00:00:00.000000000\", \"value\": 1}]}}",
                "{\"type\": \"time\", \"data\": \"12:00:01\\n\"}",
                "{\"type\": \"cat\", \"data\": \"hello\"}",
                "{\"type\": \"join\", \"data\": \"a b\"}",
                "{\"type\": \"syscall\", \"data\": \"ls\"}",
                "{\"type\": \"benchmark_result\", \"data\": {\"b\": {\"average\": 12, \"iters\": 3}}}",
                printf("Attaching probes, a plain printf"),
                END);
        assertThat(i.report().otherOutput()).extracting(BpftraceReport.Message::type)
                .containsExactly("map", "map", "hist", "stats", "value", "tseries", "time", "cat", "join", "syscall",
                        "benchmark_result", "printf");
        assertThat(i.sink().rows).isEmpty();
        assertThat(i.report().complete()).isTrue();
    }

    @Test
    void anIoctlNumberTheFdKindDoesNotDefineIsARawRow() throws Exception {
        Imported i = run(START,
                openat(100, "/dev/vfio/devices/vfio0", 3, 5),
                ioctl(200, 77, 5, 3, 0x3B99, 4096, -25, "11,22,0,0,0,0", "11,22,0,0,0,0"),
                ioctl(300, 77, 9, 0, 0x3B75, 8192, -25, "10,0,0,0,0,0", "10,0,0,0,0,0"),
                END);
        MemorySink.Row raw = i.sink().rows.get(1);
        assertThat(raw.str(EventColumn.OP)).isEqualTo("ioctl");
        assertThat(raw.num(EventColumn.CMD)).isEqualTo(0x3B99);
        assertThat(raw.args().get("raw").get("in").get(0).asText()).isEqualTo("0000000000000011");
        MemorySink.Row unknownFd = i.sink().rows.get(2);
        assertThat(unknownFd.str(EventColumn.FD_KIND)).isEqualTo("OTHER");
        assertThat(unknownFd.args().get("raw").get("candidates")).extracting(n -> n.asText())
                .containsExactly("VFIO_IOMMU_DIRTY_PAGES", "VFIO_DEVICE_FEATURE");
    }

    @Test
    void anFdWhoseKindWasInferredIsDecodedAndSaysSo() throws Exception {
        // IOMMU_IOAS_ALLOC (0x3B81) on fd 9, which the capture did not see opened: kind 4 + 16
        Imported i = run(START, ioctl(100, 77, 9, 20, 0x3B81, 4096, 0, "c,0,0,0,0,0", "c,2,0,0,0,0"), END);
        MemorySink.Row r = i.sink().rows.get(0);
        assertThat(r.str(EventColumn.OP)).isEqualTo("IOMMU_IOAS_ALLOC");
        assertThat(r.str(EventColumn.FD_KIND)).isEqualTo("IOMMUFD");
        assertThat(r.args().get("fd_kind_inferred").asBoolean()).isTrue();
        assertThat(r.args().get("out").get("out_ioas_id").asLong()).isEqualTo(2);
    }

    @Test
    void theDataFdOfAMigDeviceStateSetIsNamedAndItsReadsWritesAndPrecopyInfoAreRows() throws Exception {
        // SET PRE_COPY: vfio_device_feature {argsz 16, flags SET|MIG_DEVICE_STATE} {device_state 6, data_fd -1 -> 9}
        String in = Long.toHexString(0x20002L << 32 | 16) + "," + Long.toHexString(0xFFFFFFFFL << 32 | 6) + ",0,0,0,0";
        String out = Long.toHexString(0x20002L << 32 | 16) + "," + Long.toHexString(9L << 32 | 6) + ",0,0,0,0";
        Imported i = run(START,
                openat(100, "/dev/vfio/devices/vfio0", 3, 5),
                ioctl(200, 78, 5, 3, 0x3B75, 4096, 0, in, out),
                call(300, 78, "read", ",\"fd\":9,\"k\":5,\"count\":1048576,\"ret\":1048576"),
                ioctl(400, 78, 9, 5, 0x3B79, 8192, 0, "18,0,0,0,0,0", "18,1000,0,0,0,0"),
                call(500, 78, "write", ",\"fd\":9,\"k\":5,\"count\":4096,\"ret\":-9"),
                END);
        List<MemorySink.Row> rows = i.sink().rows;
        assertThat(rows.get(1).num(EventColumn.DATA_FD)).isEqualTo(9);
        assertThat(rows.get(1).str(EventColumn.TO_STATE)).isEqualTo("PRE_COPY");
        assertThat(rows.get(2).str(EventColumn.OP)).isEqualTo("read");
        assertThat(rows.get(2).str(EventColumn.FD_KIND)).isEqualTo("MIG_DATA");
        assertThat(rows.get(2).str(EventColumn.OBJECT)).isEqualTo("vfio0/mig-save-1");
        assertThat(rows.get(2).str(EventColumn.DEVICE)).isEqualTo("vfio0");
        assertThat(rows.get(2).num(EventColumn.COUNT)).isEqualTo(1048576);
        assertThat(rows.get(3).str(EventColumn.OP)).isEqualTo("VFIO_MIG_GET_PRECOPY_INFO");
        assertThat(rows.get(3).num(EventColumn.INITIAL_BYTES)).isEqualTo(0x1000);
        assertThat(rows.get(4).str(EventColumn.ERRNO)).isEqualTo("EBADF");
    }

    @Test
    void aPreadOfACountPastTwoToThe63IsARowNotAFailedImport() throws Exception {
        // pread64(fd, buf, SIZE_MAX, 0): rw_verify_area refuses it with EINVAL; the script prints the size_t as %lu
        Imported i = run(START, openat(100, "/dev/vfio/devices/vfio0", 3, 5),
                call(200, 78, "pread64", ",\"fd\":5,\"k\":3,\"arg\":4096,\"count\":18446744073709551615,\"offset\":0"
                        + ",\"ret\":-22,\"in\":\"0\",\"out\":\"0\""), END);
        MemorySink.Row r = i.sink().rows.get(1);
        assertThat(r.str(EventColumn.OP)).isEqualTo("pread64");
        assertThat(r.num(EventColumn.COUNT)).isEqualTo(-1L);
        assertThat(r.str(EventColumn.ERRNO)).isEqualTo("EINVAL");
        assertThat(i.report().complete()).isTrue();
    }

    @Test
    void aReturnedBitmapBecomesDirtyRunsOfItsCapturedPrefixAndSaysHowMuchWasCaptured() throws Exception {
        // DMA_LOGGING_REPORT: {argsz 40, flags GET|8} {iova 0, length 512 MiB, page_size 4096, bitmap 0x10000}: 16 KiB bitmap, 64 bytes captured
        String in = Long.toHexString(0x10008L << 32 | 40) + ",0,20000000,1000,10000,0";
        String report = printf("{\"mem\":65536,\"tid\":78,\"w\":\"ff,0,0,0,0,0,0,8000000000000000\"}")
                + "\n" + call(200, 78, "ioctl", ",\"fd\":5,\"k\":3,\"cmd\":15221,\"arg\":4096,\"ret\":0,\"in\":\"" + in + "\",\"out\":\""
                + in + "\",\"bitmap\":65536,\"bitmap_bytes\":16384,\"bitmap_captured\":64");
        Imported i = run(START, openat(100, "/dev/vfio/devices/vfio0", 3, 5), report, END);
        MemorySink.Row r = i.sink().rows.get(1);
        assertThat(r.str(EventColumn.FEATURE)).isEqualTo("DMA_LOGGING_REPORT");
        assertThat(r.args().get("bitmap_bytes").asLong()).isEqualTo(16384);
        assertThat(r.args().get("bitmap_captured_bytes").asLong()).isEqualTo(64);
        assertThat(i.sink().runsOf(r.seq())).extracting(MemorySink.Run::firstPage, MemorySink.Run::pageCount)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0L, 8L), org.assertj.core.groups.Tuple.tuple(511L, 1L));
        assertThat(i.report().partialBitmaps()).isEqualTo(1);
        assertThat(i.report().lines()).as("every object counts, memory blocks too").isEqualTo(5);
        assertThat(i.report().orphanBlocks()).isZero();
    }

    @Test
    void twoThreadsMemoryBlocksInterleavedGoEachToItsOwnThreadsCall() throws Exception {
        // Thread 78's bitmap (two blocks, at 0x10000 and 0x10040) and thread 79's (one, at 0x20000)
        // arrive interleaved; each DMA_LOGGING_REPORT reads its own thread's blocks only.
        String in78 = Long.toHexString(0x10008L << 32 | 40) + ",0,20000000,1000,10000,0";
        String in79 = Long.toHexString(0x10008L << 32 | 40) + ",0,20000000,1000,20000,0";
        String lines = printf("{\"mem\":65536,\"tid\":78,\"w\":\"ff,0,0,0,0,0,0,8000000000000000\"}") + "\n"
                + printf("{\"mem\":131072,\"tid\":79,\"w\":\"0,0,0,0,0,0,0,1\"}") + "\n"
                + printf("{\"mem\":65600,\"tid\":78,\"w\":\"1,0,0,0,0,0,0,0\"}") + "\n"
                + call(300, 79, "ioctl", ",\"fd\":5,\"k\":3,\"cmd\":15221,\"arg\":8192,\"ret\":0,\"in\":\"" + in79
                        + "\",\"out\":\"" + in79 + "\",\"bitmap\":131072,\"bitmap_bytes\":16384,\"bitmap_captured\":64") + "\n"
                + call(200, 78, "ioctl", ",\"fd\":5,\"k\":3,\"cmd\":15221,\"arg\":4096,\"ret\":0,\"in\":\"" + in78
                        + "\",\"out\":\"" + in78 + "\",\"bitmap\":65536,\"bitmap_bytes\":16384,\"bitmap_captured\":128") + "\n"
                // thread 78 again, after its call took its blocks: a fresh block for its next call
                + printf("{\"mem\":65536,\"tid\":78,\"w\":\"2,0,0,0,0,0,0,0\"}") + "\n"
                + call(400, 78, "ioctl", ",\"fd\":5,\"k\":3,\"cmd\":15221,\"arg\":4096,\"ret\":0,\"in\":\"" + in78
                        + "\",\"out\":\"" + in78 + "\",\"bitmap\":65536,\"bitmap_bytes\":16384,\"bitmap_captured\":64");
        Imported i = run(START, openat(100, "/dev/vfio/devices/vfio0", 3, 5), lines, END);
        MemorySink.Row first = i.sink().rows.get(1);
        MemorySink.Row second = i.sink().rows.get(2);
        assertThat(first.num(EventColumn.TID)).isEqualTo(78L);
        assertThat(i.sink().runsOf(first.seq())).extracting(MemorySink.Run::firstPage, MemorySink.Run::pageCount)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0L, 8L), org.assertj.core.groups.Tuple.tuple(511L, 2L));
        assertThat(second.num(EventColumn.TID)).isEqualTo(79L);
        assertThat(i.sink().runsOf(second.seq())).extracting(MemorySink.Run::firstPage, MemorySink.Run::pageCount)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(448L, 1L));
        MemorySink.Row third = i.sink().rows.get(3);
        assertThat(i.sink().runsOf(third.seq())).extracting(MemorySink.Run::firstPage, MemorySink.Run::pageCount)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, 1L));
        assertThat(i.report().orphanBlocks()).isZero();
    }

    @Test
    void rowsFollowTheEntryOrderWhateverOrderTheirLinesCameIn() throws Exception {
        Imported i = run(START,
                openat(300, "/dev/iommu", 4, 7),
                openat(100, "/dev/vfio/vfio", 1, 5),
                openat(200, "/dev/vfio/45", 2, 6),
                END);
        assertThat(i.sink().rows).extracting(r -> r.num(EventColumn.TS_NS)).containsExactly(100L, 200L, 300L);
        assertThat(i.sink().rows).extracting(r -> r.str(EventColumn.OBJECT))
                .containsExactly("/dev/vfio/vfio", "/dev/vfio/45", "/dev/iommu");
    }

    @Test
    void aCallLongerThanTheReorderWindowIsWrittenLateWithItsTrueEntryTime() throws Exception {
        long s = 1_000_000_000L;
        Imported i = run(START,
                openat(10 * s, "/dev/vfio/vfio", 1, 5),
                openat(20 * s, "/dev/vfio/45", 2, 6),
                openat(5 * s, "/dev/iommu", 4, 7), // entered long before, returned now
                END);
        // it joins the rows still held (the window is 2 s), stamped as the last row written before it
        assertThat(i.sink().rows).extracting(r -> r.num(EventColumn.TS_NS)).containsExactly(10 * s, 10 * s, 20 * s);
        assertThat(i.sink().rows.get(1).str(EventColumn.OBJECT)).isEqualTo("/dev/iommu");
        assertThat(i.sink().rows.get(1).args().get("entry_ts_ns").asLong()).isEqualTo(5 * s);
        assertThat(i.report().lateRows()).isEqualTo(1);
    }

    @Test
    void aVmmTracePointInTheJsonLinesFormIsATracepointRow() throws Exception {
        Imported i = run(START,
                printf("{\"ts_ns\":500,\"pid\":77,\"tid\":80,\"kind\":\"tracepoint\",\"op\":\"vfio_migration_set_state\","
                        + "\"device\":\"0000:3b:00.1\",\"args\":{\"name\":\"0000:3b:00.1\",\"new_state\":\"PRE_COPY\","
                        + "\"recover_state\":\"RUNNING\"},\"thread\":\"live_migration\"}"),
                END);
        MemorySink.Row r = i.sink().rows.get(0);
        assertThat(r.str(EventColumn.KIND)).isEqualTo("tracepoint");
        assertThat(r.str(EventColumn.ACTOR)).isEqualTo("vmm");
        assertThat(r.str(EventColumn.OP)).isEqualTo("vfio_migration_set_state");
        assertThat(r.str(EventColumn.DEVICE)).isEqualTo("0000:3b:00.1");
        assertThat(r.str(EventColumn.THREAD)).isEqualTo("live_migration");
        assertThat(r.num(EventColumn.TID)).isEqualTo(80);
        assertThat(r.args().get("new_state").asText()).isEqualTo("PRE_COPY");
        assertThat(i.report().tracepoints()).isEqualTo(1);
    }

    @Test
    void aThreadNameWithQuotesDoesNotBreakTheLine() throws Exception {
        Imported i = run(START, printf("{\"ts_ns\":5,\"t1\":6,\"pid\":77,\"tid\":77,\"op\":\"openat\",\"k\":1,\"ret\":5,"
                + "\"object\":\"/dev/vfio/vfio\",\"thread\":\"a \"quoted\" name\"}"), END);
        assertThat(i.sink().rows.get(0).str(EventColumn.THREAD)).isEqualTo("a \"quoted\" name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Attaching 17 probes...", "{\"type\": \"printf\" \"data\": 1}", "[1, 2]", "{\"data\": \"x\"}"})
    void inputThatIsNotBpftraceJsonIsRefusedWithItsLine(String bad) {
        assertThatThrownBy(() -> run(START, bad, END)).isInstanceOf(BadTraceException.class)
                .hasMessageStartingWith("capture.json:2: ");
    }

    @Test
    void aLastLineCutOffEndsTheImportAsNotFinished() throws Exception {
        Imported i = run(START, openat(100, "/dev/vfio/vfio", 1, 5), "{\"type\": \"printf\", \"data\": \"{\\\"ts_ns\\\":1");
        assertThat(i.report().truncatedAtLine()).isEqualTo(3);
        assertThat(i.report().complete()).isFalse();
        assertThat(i.sink().rows).hasSize(1);
    }

    @Test
    void withoutTheEndLineTheCaptureIsNotComplete() throws Exception {
        assertThat(run(START, openat(100, "/dev/vfio/vfio", 1, 5)).report().complete()).isFalse();
    }

    @Test
    void aGzippedFileImportsIntoATraceThatVerifies() throws Exception {
        Path json = dir.resolve("capture.json.gz");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(ScriptEmulator.utf8(String.join("\n", START, openat(100, "/dev/vfio/vfio", 1, 5),
                    "{\"type\": \"lost_events\", \"data\": {\"events\": 3}}", END) + "\n"));
        }
        Files.write(json, bytes.toByteArray());
        Path trace = dir.resolve("t");
        BpftraceReport r = BpftraceImport.toTrace(InputSource.file(json), trace,
                BpftraceImport.manifest(null, "test", List.of()), BpftraceImport.Options.defaults());
        assertThat(r.complete()).isTrue();
        try (RecordedTrace t = RecordedTrace.open(trace)) {
            assertThat(t.manifest().lostEvents()).isEqualTo(3);
            assertThat(t.manifest().complete()).isTrue();
            assertThat(t.manifest().source().kind()).isEqualTo("bpftrace");
        }
        assertThat(TraceVerifier.verify(trace).ok()).isTrue();
    }

    @Test
    void badInputLeavesNoTraceBehind() {
        Path trace = dir.resolve("bad");
        assertThatThrownBy(() -> BpftraceImport.toTrace(InputSource.stream("x", new ByteArrayInputStream(
                ScriptEmulator.utf8("garbage\n"))), trace, BpftraceImport.manifest(null, "test", new ArrayList<>()),
                BpftraceImport.Options.defaults())).isInstanceOf(BadTraceException.class);
        assertThat(trace).doesNotExist();
    }

    /**
     * A live capture's pipe gone quiet: the calls that arrived reach the rows thread while the pipe
     * stays open, not when a batch fills or the pipe ends; plain, and gzip-compressed (a saved
     * capture piped into {@code import bpftrace -}).
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void callsOnAQuietPipeReachTheRowsBeforeThePipeEnds(boolean gzip) throws Exception {
        PipedOutputStream writer = new PipedOutputStream();
        PipedInputStream pipe = new PipedInputStream(writer, 1 << 16);
        OutputStream out = gzip ? new GZIPOutputStream(writer, true) : writer;
        out.write(ScriptEmulator.utf8(START + "\n" + openat(100, "/dev/vfio/vfio", 1, 5) + "\n"
                + openat(200, "/dev/iommu", 4, 6) + "\n"));
        out.flush();
        AtomicLong arrived = new AtomicLong(); // calls the rows thread has: written, or held for the entry order
        BpftraceImport.Options options = BpftraceImport.Options.defaults()
                .progress(TimeUnit.MILLISECONDS.toNanos(5), (rows, lost, lines, held) -> arrived.set(rows + held));
        MemorySink sink = new MemorySink();
        ExecutorService importing = Executors.newSingleThreadExecutor();
        try {
            Future<BpftraceReport> report = importing.submit(() -> BpftraceImport.run(InputSource.stream("pipe", pipe), sink,
                    options));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (arrived.get() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(arrived.get()).as("calls through to the rows while the pipe is open").isEqualTo(2);
            out.write(ScriptEmulator.utf8(END + "\n"));
            out.close();
            BpftraceReport r = report.get(30, TimeUnit.SECONDS);
            assertThat(r.complete()).isTrue();
            assertThat(sink.rows).extracting(row -> row.str(EventColumn.OBJECT)).containsExactly("/dev/vfio/vfio", "/dev/iommu");
        } finally {
            importing.shutdownNow();
        }
    }
}
