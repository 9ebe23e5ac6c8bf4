package org.migtrace.recorder.importer.qemulog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.migtrace.trace.IterationRow;
import org.migtrace.trace.RecordedEvent;
import org.migtrace.trace.TraceVerifier;

/** The same importer on the logs of QEMU 8.0, 9.2 and 10.1, whose formats and event names differ. */
class QemuVersionsImportTest {

    @TempDir
    Path tmp;

    @Test
    void qemu10LogsHaveIsoTimesNoThreadIdsAndTheRenamedDirtyBitmapQuery() throws Exception {
        ImportedTrace t = ImportedTrace.resource("qemu-10.1-precopy.log", tmp);
        assertThat(TraceVerifier.verify(t.dir()).ok()).isTrue();
        RecordedEvent first = t.events().get(0);
        assertThat(first.tsNs()).isEqualTo(nanos("2025-09-01T10:00:00.000100Z"));
        assertThat(first.tid()).isNull();
        RecordedEvent query = t.tracepoints("vfio_container_query_dirty_bitmap").get(1);
        assertThat(query.iova()).isEqualTo(0x1_0000_0000L);
        assertThat(query.length()).isEqualTo(0x8000_0000L);
        assertThat(t.only("vfio_save_block_precopy_empty_hit").tsNs()).isEqualTo(nanos("2025-09-01T10:00:04Z"));
        assertThat(t.only("vfio_save_iterate_start").device()).isEqualTo("0000:3b:00.1");
        assertThat(t.manifest().hosts().get(0).qemu()).isEqualTo("10.0-10.2 (inferred)");
        assertThat(t.result().notUnderstood()).containsOnlyKeys("ram_save_page", "(not a trace event)");
        assertThat(t.manifest().notes()).noneMatch(n -> n.startsWith("tid:"));
    }

    @Test
    void theSameMigrationLoggedBy92And101GivesTheSameIterationsAndColumns() throws Exception {
        ImportedTrace old = ImportedTrace.resource("qemu-9.2-precopy.log", tmp.resolve("a"));
        ImportedTrace now = ImportedTrace.resource("qemu-10.1-precopy.log", tmp.resolve("b"));
        assertThat(now.iterations()).hasSameSizeAs(old.iterations());
        for (int i = 0; i < old.iterations().size(); i++) {
            assertThat(sansTime(now.iterations().get(i))).isEqualTo(sansTime(old.iterations().get(i)));
        }
        // vfio_get_dirty_bitmap (9.x) and vfio_container_query_dirty_bitmap (10.x): the same columns and args
        List<RecordedEvent> a = old.tracepoints("vfio_get_dirty_bitmap");
        List<RecordedEvent> b = now.tracepoints("vfio_container_query_dirty_bitmap");
        assertThat(b).extracting(RecordedEvent::iova).isEqualTo(a.stream().map(RecordedEvent::iova).toList());
        assertThat(b).extracting(RecordedEvent::length).isEqualTo(a.stream().map(RecordedEvent::length).toList());
        assertThat(b).extracting(RecordedEvent::args).isEqualTo(a.stream().map(RecordedEvent::args).toList());
        assertThat(now.manifest().devices()).isEqualTo(old.manifest().devices());
        assertThat(now.migrationOps()).isEqualTo(old.migrationOps());
    }

    @Test
    void qemu80LogsWithoutTimestampsKeepLineOrderAndReadHexSizes() throws Exception {
        ImportedTrace t = ImportedTrace.resource("qemu-8.0-hex.log", tmp);
        assertThat(TraceVerifier.verify(t.dir()).ok()).isTrue();
        assertThat(t.events().get(0).op()).isEqualTo("vfio_migration_probe");
        assertThat(t.events().get(0).tsNs()).isEqualTo(1); // the line number
        RecordedEvent exact = t.only("vfio_state_pending_exact");
        assertThat(exact.tsNs()).isEqualTo(16);
        assertThat(exact.stopCopyLength()).isEqualTo(31_457_280L);
        assertThat(exact.initialBytes()).isNull();
        assertThat(ImportedTrace.args(exact).get("precopy").asLong()).isEqualTo(300_000_000L);
        assertThat(ImportedTrace.args(t.only("vfio_save_setup")).get("data_buffer_size").asLong()).isEqualTo(1_048_576L);
        RecordedEvent query = t.tracepoints("vfio_get_dirty_bitmap").get(1);
        assertThat(query.iova()).isEqualTo(0x1_0000_0000L);
        assertThat(ImportedTrace.args(query).get("fd").asInt()).isEqualTo(25);
        assertThat(ImportedTrace.args(query).has("dirty_pages")).isFalse();
        // 8.0 printed vfio_migration_set_state after a successful change: requested and reached
        assertThat(t.tracepoints("vfio_migration_set_state")).extracting(RecordedEvent::requestedState)
                .containsExactly("STOP", "STOP_COPY", "STOP");
        assertThat(t.tracepoints("vfio_migration_set_state")).extracting(RecordedEvent::toState)
                .containsExactly("STOP", "STOP_COPY", "STOP");
        assertThat(ImportedTrace.args(t.only("vfio_migration_state_notifier")).get("state").asText())
                .isEqualTo("completed");
        assertThat(t.manifest().hosts().get(0).qemu()).isEqualTo("8.0 (inferred)");
        assertThat(t.manifest().devices().get(0).features()).containsExactly("STOP_COPY");
        assertThat(t.manifest().notes()).anyMatch(n -> n.startsWith("ts_ns: the log has no timestamps"));
    }

    @Test
    void qemu80IterationsCountWithoutDeviceDirtyPages() throws Exception {
        ImportedTrace t = ImportedTrace.resource("qemu-8.0-hex.log", tmp);
        List<IterationRow> rows = t.iterations();
        assertThat(rows).extracting(IterationRow::decision).containsExactly("setup", "switchover");
        IterationRow last = rows.get(1);
        assertThat(last.iteration()).isEqualTo(1);
        assertThat(last.tsNs()).isEqualTo(15);
        assertThat(last.newDirtyPages()).isEqualTo(40_000); // the counter went down: a period reset
        assertThat(last.dirtyPagesDevice()).isZero();
        assertThat(last.dirtyPagesCpu()).isEqualTo(40_000);
        assertThat(last.bytesSent()).isEqualTo(125_000_000L);
        assertThat(last.bandwidth()).isEqualTo(1_250_000_000L);
        assertThat(last.thresholdBytes()).isEqualTo(375_000_000L);
        assertThat(last.pendingBytes()).isEqualTo(300_000_000L);
        assertThat(last.devicePendingBytes()).isEqualTo(31_457_280L);
        assertThat(t.migrationOps()).containsExactly("SETUP", "ITERATION", "ITERATION", "SWITCHOVER", "COMPLETED");
    }

    @Test
    void formsNoSingleReleasePrintedLeaveTheVersionUnknown() throws Exception {
        ImportedTrace t = ImportedTrace.resource("mixed-versions.log", tmp);
        assertThat(t.events()).hasSize(2);
        assertThat(t.manifest().hosts()).isEmpty();
        assertThat(t.manifest().notes()).anyMatch(n -> n.startsWith("qemu: unknown: the log has trace-event formats"
                + " no single release printed: vfio_container_query_dirty_bitmap (10.0-10.2)"));
    }

    @Test
    void aLogWithoutSyncsHasNoIterationsAndSaysWhy() throws Exception {
        ImportedTrace t = ImportedTrace.text("x.log", """
                migrate_set_state new state setup
                migrate_pending_estimate estimate pending size 10 (pre = 10 post=0)
                migrate_set_state new state completed
                """, tmp);
        assertThat(t.iterations()).isEmpty();
        assertThat(t.migrationOps()).containsExactly("SETUP", "COMPLETED");
        assertThat(t.manifest().notes()).anyMatch(n -> n.startsWith("iterations: the log has no"
                + " migration_bitmap_sync_end events"));
    }

    @Test
    void theDevTreeAndIommufdEventsFillTheirColumns() throws Exception {
        ImportedTrace t = ImportedTrace.text("dev.log", """
                vfio_state_pending  (0000:3b:00.1) stopcopy size 31457280, precopy initial size 1048576, \
                precopy dirty size 0, request switchover ack 0, exact 1, final 0
                vfio_query_stop_copy_size  (0000:3b:00.1) stopcopy size 31457280 ret 0
                vfio_query_precopy_size  (0000:3b:00.1) init 1048576, dirty 4096, reinit 1, ret 0
                vfio_container_query_dirty_bitmap iova=0x0 size=0x80000000 backend_flag=0x0 bitmap_size=0x10000 \
                gpa=0x0 dirty_pages=12
                iommufd_backend_get_dirty_bitmap  iommufd=3 hwpt=2 iova=0x100000000 size=0x80000000 flags=0x1 \
                page_size=0x1000 (0)
                iommufd_backend_set_dirty  iommufd=3 hwpt=2 enable=1 (0)
                """, tmp);
        RecordedEvent pending = t.only("vfio_state_pending");
        assertThat(pending.stopCopyLength()).isEqualTo(31_457_280L);
        assertThat(pending.initialBytes()).isEqualTo(1_048_576L);
        assertThat(pending.dirtyBytes()).isZero();
        assertThat(ImportedTrace.args(pending).get("exact").asBoolean()).isTrue();
        assertThat(ImportedTrace.args(pending).get("final").isBoolean()).isTrue();
        assertThat(t.only("vfio_query_stop_copy_size").stopCopyLength()).isEqualTo(31_457_280L);
        assertThat(t.only("vfio_query_precopy_size").dirtyBytes()).isEqualTo(4_096L);
        RecordedEvent query = t.only("vfio_container_query_dirty_bitmap");
        assertThat(query.length()).isEqualTo(0x8000_0000L);
        assertThat(ImportedTrace.args(query).get("translated_addr").asLong()).isZero();
        RecordedEvent hwpt = t.only("iommufd_backend_get_dirty_bitmap");
        assertThat(hwpt.iova()).isEqualTo(0x1_0000_0000L);
        assertThat(hwpt.pageSize()).isEqualTo(4_096L);
        assertThat(hwpt.flags()).isEqualTo(1L);
        assertThat(hwpt.device()).isNull();
        assertThat(ImportedTrace.args(t.only("iommufd_backend_set_dirty")).get("start").asBoolean()).isTrue();
        assertThat(t.manifest().hosts().get(0).qemu()).isEqualTo("dev (inferred)");
    }

    @Test
    void qemu80sSavePendingFillsTheStopCopyLength() throws Exception {
        ImportedTrace t = ImportedTrace.text("p.log", "vfio_save_pending  (0000:3b:00.1) precopy 0x0 postcopy 0x0"
                + " compatible 0x0 stopcopy size 0x1e00000\n", tmp);
        assertThat(t.only("vfio_save_pending").stopCopyLength()).isEqualTo(31_457_280L);
        assertThat(ImportedTrace.args(t.only("vfio_save_pending")).get("compatible").asLong()).isZero();
    }

    @Test
    void aSizeAbove63BitsIsKeptAsItsBitPatternAndAsAnUnsignedNumberInArgs() throws Exception {
        ImportedTrace t = ImportedTrace.text("tag.log",
                "vfio_load_state  (0000:3b:00.1) data 0xffffffffef100004\n", tmp);
        assertThat(ImportedTrace.args(t.only("vfio_load_state")).get("data").bigIntegerValue().toString(16))
                .isEqualTo("ffffffffef100004");
    }

    private static IterationRow sansTime(IterationRow r) {
        return new IterationRow(0, 0, r.host(), r.iteration(), r.timeNs(), r.durationNs(), r.dirtyPagesCpu(),
                r.dirtyPagesDevice(), r.newDirtyPages(), r.bytesSent(), r.deviceBytesSent(), r.bandwidth(),
                r.pendingBytes(), r.devicePendingBytes(), r.thresholdBytes(), r.decision());
    }

    private static long nanos(String iso) {
        Instant i = Instant.parse(iso);
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }
}
