package org.migtrace.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonlTest {

    @TempDir
    Path tmp;

    @Test
    void exportImportExportIsByteIdenticalAndSoAreTheTables() throws Exception {
        SampleTrace sample = SampleTrace.of(500);
        Path original = tmp.resolve("a");
        sample.write(original, TraceWriter.Options.defaults().batchRows());
        JsonlExport.export(original, tmp.resolve("a.jsonl"));
        JsonlImport.Result r = JsonlImport.toTrace(tmp.resolve("a.jsonl"), tmp.resolve("b"));
        JsonlExport.export(tmp.resolve("b"), tmp.resolve("b.jsonl"));

        assertThat(Files.readAllBytes(tmp.resolve("b.jsonl"))).isEqualTo(Files.readAllBytes(tmp.resolve("a.jsonl")));
        assertThat(r.events()).isEqualTo(500);
        assertThat(r.dirtyRuns()).isEqualTo(sample.dirtyRuns().size());
        assertThat(r.iterations()).isEqualTo(sample.iterations().size());
        for (Table t : Table.values()) {
            assertThat(Files.readAllBytes(tmp.resolve("b").resolve(t.file())))
                    .as(t.file()).isEqualTo(Files.readAllBytes(original.resolve(t.file())));
        }
        Manifest a = RecordedTrace.open(original).manifest();
        Manifest b = RecordedTrace.open(tmp.resolve("b")).manifest();
        assertThat(b).isEqualTo(a);
    }

    @Test
    void anEventLineHasItsColumnsItsRunsAndNoNulls() throws Exception {
        SampleTrace sample = SampleTrace.of(8);
        sample.write(tmp.resolve("a"), 64);
        JsonlExport.export(tmp.resolve("a"), tmp.resolve("a.jsonl"));
        List<String> lines = Files.readAllLines(tmp.resolve("a.jsonl"));
        assertThat(lines.get(0)).startsWith("{\"format\":{\"name\":\"migtrace-trace\",\"version\":\"" + TraceFormat.version() + "\"},\"source\":")
                .doesNotContain("\"tables\"").contains("\"complete\":true");
        assertThat(lines.get(4)).isEqualTo("{\"seq\":3,\"ts_ns\":3000,\"host\":\"src\",\"pid\":4242,\"tid\":4244,"
                + "\"thread\":\"live_migration\",\"actor\":\"vmm\",\"kind\":\"syscall\",\"op\":\"VFIO_IOMMU_DIRTY_PAGES\","
                + "\"cmd\":15221,\"fd\":5,\"fd_kind\":\"CONTAINER\",\"object\":\"container0\",\"flags\":4,\"argsz\":40,"
                + "\"iova\":-4096,\"length\":4096,\"page_size\":4096,\"ret\":0,\"dirty_runs\":["
                + "{\"source\":\"bitmap\",\"page_size\":4096,\"first_page\":4503599627370494,\"page_count\":1},"
                + "{\"source\":\"bitmap\",\"page_size\":4096,\"first_page\":259,\"page_count\":4},"
                + "{\"source\":\"bitmap\",\"page_size\":4096,\"first_page\":65728,\"page_count\":4,"
                + "\"bits\":\"0x8000000000000015\"}]}");
        assertThat(lines.get(8)).startsWith("{\"table\":\"iterations\",\"seq\":6,");
        assertThat(lines).hasSize(1 + 8 + 1);
    }

    @Test
    void aCaptureCutShortStaysCutShortThroughExportAndImport() throws Exception {
        SampleTrace.of(100).write(tmp.resolve("a"), 16);
        TraceDirs.markUnfinished(tmp.resolve("a"));
        JsonlExport.export(tmp.resolve("a"), tmp.resolve("a.jsonl"));
        JsonlImport.toTrace(tmp.resolve("a.jsonl"), tmp.resolve("b"));
        try (RecordedTrace b = RecordedTrace.open(tmp.resolve("b"))) {
            assertThat(b.captureComplete()).isFalse();
            assertThat(b.eventCount()).isEqualTo(100);
            assertThat(b.tables()).allSatisfy(t -> assertThat(t.finished()).isTrue());
        }
    }

    @Test
    void aHandWrittenFileNeedsNoManifestNorSeqAndTakesHexU64() throws Exception {
        String jsonl = """
                {"ts_ns": 10, "actor": "vmm", "kind": "syscall", "op": "VFIO_IOMMU_MAP_DMA", "iova": "0xFFFFFFFFFFFFF000"}

                {"ts_ns": 20, "actor": "vmm", "kind": "syscall", "op": "read", "iova": 18446744073709547520, "count": null}
                """;
        Files.writeString(tmp.resolve("h.jsonl"), jsonl);
        JsonlImport.toTrace(tmp.resolve("h.jsonl"), tmp.resolve("t"));
        try (RecordedTrace t = RecordedTrace.open(tmp.resolve("t"))) {
            assertThat(t.manifest().source().kind()).isEqualTo("jsonl");
            assertThat(t.captureComplete()).isTrue();
            RecordedEvent a = t.readEvent();
            RecordedEvent b = t.readEvent();
            assertThat(a.seq()).isZero();
            assertThat(b.seq()).isEqualTo(1);
            assertThat(a.iova()).isEqualTo(SampleTrace.HIGH_IOVA).isEqualTo(b.iova());
            assertThat(b.count()).isNull();
        }
    }

    static final String OK_EVENT = "{\"ts_ns\": 10, \"actor\": \"vmm\", \"kind\": \"syscall\", \"op\": \"read\"}";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown key          | {"ts_ns": 20, "actor": "vmm", "kind": "syscall", "op": "read", "iovaa": 5}              | 2: unknown key iovaa (known: seq, ts_ns,
            wrong type           | {"ts_ns": 20, "actor": "vmm", "kind": "syscall", "op": "read", "iova": "abc"}           | 2: key iova: expected an integer (or a "0x..." hex string), found a string "abc"
            int32 out of range   | {"ts_ns": 20, "actor": "vmm", "kind": "syscall", "op": "read", "pid": 5000000000}       | 2: key pid: expected a 32-bit integer, found an integer 5000000000
            missing op           | {"ts_ns": 20, "actor": "vmm", "kind": "syscall"}                                        | 2: missing key op (every event has ts_ns, actor, kind and op)
            seq not increasing   | {"seq": 0, "ts_ns": 20, "actor": "vmm", "kind": "syscall", "op": "read"}                | 2: key seq: 0 does not follow the previous event's seq 0
            time going back      | {"ts_ns": 5, "actor": "vmm", "kind": "syscall", "op": "read"}                           | 2: key ts_ns: 5 is before the previous event's 10
            unknown kind         | {"ts_ns": 20, "actor": "vmm", "kind": "syscal", "op": "read"}                           | 2: key kind: 'syscal' is not one of syscall, state, write, migration, lost
            dirty run alone      | {"table": "dirty_runs", "event_seq": 0, "source": "bitmap"}                             | 2: key table: a dirty run is written inside its event's line
            bad dirty run        | {"ts_ns": 20, "actor": "vmm", "kind": "syscall", "op": "read", "dirty_runs": [{"source": "bitmap", "page_size": 4096, "first_page": 1, "page_count": 0}]} | 2: key dirty_runs: run
            word that is a run   | {"ts_ns": 20, "actor": "vmm", "kind": "syscall", "op": "read", "dirty_runs": [{"source": "bitmap", "page_size": 4096, "first_page": 64, "page_count": 4, "bits": "0xf0"}]} | 2: key dirty_runs: word
            word count wrong     | {"ts_ns": 20, "actor": "vmm", "kind": "syscall", "op": "read", "dirty_runs": [{"source": "bitmap", "page_size": 4096, "first_page": 64, "page_count": 3, "bits": "0x505"}]} | 2: key dirty_runs: word
            dirty run source     | {"ts_ns": 20, "actor": "vmm", "kind": "syscall", "op": "read", "dirty_runs": [{"source": "bitmaps"}]} | 2: key dirty_runs.source: "bitmaps" is not one of bitmap, cpu_write, dma_write
            iteration orphan     | {"table": "iterations", "seq": 0, "ts_ns": 1, "iteration": 0, "time_ns": 0, "duration_ns": 0, "dirty_pages_cpu": 0, "dirty_pages_device": 0, "new_dirty_pages": 0, "bytes_sent": 0, "device_bytes_sent": 0, "bandwidth": 0, "pending_bytes": 0, "device_pending_bytes": 0, "threshold_bytes": 0, "decision": "setup"} | 2: key seq: seq 0 is not the seq of an event of kind migration, op ITERATION
            not json             | {"ts_ns": 20,                                                                           | 2: column
            not an object        | [1, 2]                                                                                  | 2: a line is one JSON object
            duplicate key        | {"ts_ns": 20, "ts_ns": 30, "actor": "vmm", "kind": "syscall", "op": "read"}             | 2: column
            late manifest        | {"format": {"name": "migtrace-trace", "version": "2.0"}}                                | 2: a manifest line (key format) is only allowed as the first line
            """)
    void badLinesNameFileLineAndKey(String what, String line, String message) throws Exception {
        Path file = tmp.resolve("bad.jsonl");
        Files.writeString(file, OK_EVENT + "\n" + line + "\n");
        assertThatThrownBy(() -> JsonlImport.toTrace(file, tmp.resolve("t"))).isInstanceOf(BadTraceException.class)
                .hasMessageStartingWith(file + ":" + message);
        assertThat(tmp.resolve("t")).as("nothing left behind").doesNotExist();
    }

    @Test
    void anUnsupportedVersionOnTheManifestLineIsRefused() {
        BufferedReader in = new BufferedReader(new StringReader(
                "{\"format\": {\"name\": \"migtrace-trace\", \"version\": \"4.1\"}}\n" + OK_EVENT + "\n"));
        assertThatThrownBy(() -> JsonlImport.read(in, Path.of("x.jsonl"), m -> {
            throw new AssertionError("no sink for a refused file");
        })).isInstanceOf(BadTraceException.class)
                .hasMessageStartingWith("x.jsonl:1: format version 4.1 is not supported (supported: 1.x, 2.x, 3.x");
    }

    @Test
    void aNewerMinorOnTheManifestLineLetsUnknownKeysAndValuesThrough() throws Exception {
        Path file = tmp.resolve("newer.jsonl");
        Files.writeString(file, "{\"format\": {\"name\": \"migtrace-trace\", \"version\": \"3.4\"}}\n"
                + "{\"ts_ns\": 1, \"actor\": \"vmm\", \"kind\": \"hypercall\", \"op\": \"x\", \"new_column\": 3}\n");
        JsonlImport.toTrace(file, tmp.resolve("t"));
        assertThat(RecordedTrace.readAllEvents(tmp.resolve("t"))).extracting(RecordedEvent::kind).containsExactly("hypercall");
    }
}
