package org.migtrace.recorder.importer.qemulog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.migtrace.trace.IterationRow;
import org.migtrace.trace.RecordedEvent;
import org.migtrace.trace.TraceVerifier;

/** A complete single-device precopy migration as QEMU 9.2 logs it with -msg timestamp=on. */
class PrecopyLogImportTest {

    private static final String DEV = "0000:3b:00.1";
    private static final long T0 = 1_753_122_900_000_000_000L;

    @TempDir
    Path tmp;

    private ImportedTrace imported() throws Exception {
        return ImportedTrace.resource("qemu-9.2-precopy.log", tmp);
    }

    @Test
    void everyKnownLineIsATracepointRowOfTheVmmWithItsThreadAndTime() throws Exception {
        ImportedTrace t = imported();
        RecordedEvent first = t.events().get(0);
        assertThat(first.kind()).isEqualTo("tracepoint");
        assertThat(first.actor()).isEqualTo("vmm");
        assertThat(first.op()).isEqualTo("migrate_set_state");
        assertThat(first.tid()).isEqualTo(83112);
        assertThat(first.pid()).isNull();
        assertThat(first.tsNs()).isEqualTo(T0 + 100_000);
        assertThat(ImportedTrace.args(first).get("new_state").asText()).isEqualTo("setup");
        assertThat(t.tracepoints("vfio_save_block")).hasSize(5)
                .allSatisfy(e -> assertThat(e.tid()).isEqualTo(83140));
        assertThat(t.result().events()).isEqualTo(t.events().size());
        assertThat(TraceVerifier.verify(t.dir()).ok()).isTrue();
    }

    @Test
    void theDeviceStateChangesCarryTheUapiStateNames() throws Exception {
        ImportedTrace t = imported();
        assertThat(t.tracepoints("vfio_migration_set_state")).extracting(RecordedEvent::requestedState)
                .containsExactly("PRE_COPY", "PRE_COPY_P2P", "STOP_COPY", "STOP");
        assertThat(t.tracepoints("vfio_migration_set_state")).allSatisfy(e -> {
            assertThat(e.device()).isEqualTo(DEV);
            assertThat(e.toState()).isNull();
        });
        assertThat(t.tracepoints("vfio_migration_set_device_state")).extracting(RecordedEvent::toState)
                .containsExactly("PRE_COPY", "PRE_COPY_P2P", "STOP_COPY", "STOP");
        assertThat(t.tracepoints("vfio_migration_set_device_state")).extracting(RecordedEvent::stateRaw)
                .containsExactly(6L, 7L, 3L, 1L);
        RecordedEvent first = t.tracepoints("vfio_migration_set_state").get(0);
        assertThat(ImportedTrace.args(first).get("recover_state").asText()).isEqualTo("RUNNING");
        assertThat(ImportedTrace.args(first).get("name").asText()).isEqualTo(DEV);
    }

    @Test
    void sizesFillTheirColumnsAndEveryArgumentIsInArgs() throws Exception {
        ImportedTrace t = imported();
        assertThat(t.tracepoints("vfio_save_block")).extracting(RecordedEvent::count)
                .containsExactly(1_048_576L, 1_048_576L, 1_048_576L, 1_048_576L, 524_288L);
        RecordedEvent exact = t.tracepoints("vfio_state_pending_exact").get(0);
        assertThat(exact.device()).isEqualTo(DEV);
        assertThat(exact.stopCopyLength()).isEqualTo(31_457_280L);
        assertThat(exact.initialBytes()).isZero();
        assertThat(exact.dirtyBytes()).isEqualTo(8_388_608L);
        assertThat(ImportedTrace.args(exact).get("precopy").asLong()).isEqualTo(500_000_000L);
        RecordedEvent query = t.tracepoints("vfio_get_dirty_bitmap").get(1);
        assertThat(query.iova()).isEqualTo(0x1_0000_0000L);
        assertThat(query.length()).isEqualTo(0x8000_0000L);
        assertThat(query.device()).isNull();
        assertThat(ImportedTrace.args(query).get("dirty_pages").asLong()).isEqualTo(524_288L);
        assertThat(ImportedTrace.args(query).get("start").asLong()).isEqualTo(0x8000_0000L);
        RecordedEvent window = t.tracepoints("migrate_transferred").get(0);
        assertThat(ImportedTrace.args(window).get("bandwidth").asLong()).isEqualTo(1_250_000L);
        assertThat(ImportedTrace.args(window).get("avail_bw").asLong()).isZero();
        RecordedEvent downtime = t.tracepoints("vmstate_downtime_save").get(0);
        assertThat(ImportedTrace.args(downtime).get("idstr").asText()).isEqualTo("0000:3b:00.1/vfio");
        assertThat(ImportedTrace.args(downtime).get("downtime").asLong()).isEqualTo(21_000L);
        assertThat(t.tracepoints("vmstate_downtime_checkpoint")).extracting(e -> ImportedTrace.args(e)
                .get("checkpoint").asText()).containsExactly("src-downtime-start", "src-vm-stopped",
                "src-iterable-saved", "src-downtime-end");
        assertThat(t.only("migration_thread_setup_complete").args()).isNull();
    }

    @Test
    void theMigrationStepsAreDerivedInTheirOrder() throws Exception {
        ImportedTrace t = imported();
        assertThat(t.migrationOps()).containsExactly("SETUP", "ITERATION", "ITERATION", "ITERATION", "SWITCHOVER",
                "COMPLETED");
        RecordedEvent switchover = t.events().stream().filter(e -> e.op().equals("SWITCHOVER")).findFirst().orElseThrow();
        RecordedEvent low = t.only("migration_thread_low_pending");
        assertThat(switchover.seq()).isEqualTo(low.seq() + 2); // the ITERATION event, then SWITCHOVER
        assertThat(switchover.tsNs()).isEqualTo(low.tsNs());
        assertThat(switchover.actor()).isEqualTo("migration");
        assertThat(ImportedTrace.args(switchover).get("pending_bytes").asLong()).isEqualTo(250_000_000L);
    }

    @Test
    void oneIterationsRowPerSyncTheSwitchoverTestLookedAt() throws Exception {
        ImportedTrace t = imported();
        List<IterationRow> rows = t.iterations();
        assertThat(rows).extracting(IterationRow::iteration).containsExactly(0, 1, 2);
        assertThat(rows).extracting(IterationRow::decision).containsExactly("setup", "iterate", "switchover");
        for (IterationRow r : rows) {
            assertThat(t.event(r.seq()).op()).isEqualTo("ITERATION");
        }

        IterationRow setup = rows.get(0);
        assertThat(setup.tsNs()).isEqualTo(T0 + 4_000_000);
        assertThat(setup.timeNs()).isEqualTo(3_900_000);
        assertThat(setup.newDirtyPages()).isEqualTo(1_048_576);
        assertThat(setup.dirtyPagesDevice()).isEqualTo(1_048_576);
        assertThat(setup.dirtyPagesCpu()).isZero();
        assertThat(setup.pendingBytes()).isEqualTo(4_345_298_944L);

        IterationRow second = rows.get(1);
        assertThat(second.tsNs()).isEqualTo(T0 + 3_504_000_000L);
        assertThat(second.durationNs()).isEqualTo(3_500_000_000L);
        assertThat(second.newDirtyPages()).isEqualTo(120_000); // 1168576 - 1048576: the period had not reset
        assertThat(second.dirtyPagesDevice()).isEqualTo(1_500);
        assertThat(second.dirtyPagesCpu()).isEqualTo(118_500);
        assertThat(second.bytesSent()).isEqualTo(250_000_000L);
        assertThat(second.deviceBytesSent()).isEqualTo(1_048_576L);
        assertThat(second.bandwidth()).isEqualTo(1_250_000_000L);
        assertThat(second.pendingBytes()).isEqualTo(500_000_000L);
        assertThat(second.devicePendingBytes()).isEqualTo(31_457_280L + 8_388_608L);
        assertThat(second.thresholdBytes()).isEqualTo(375_000_000L);

        IterationRow last = rows.get(2);
        assertThat(last.newDirtyPages()).isEqualTo(30_000); // the counter was reset after the second sync
        assertThat(last.dirtyPagesCpu()).isEqualTo(29_700);
        assertThat(last.bytesSent()).isEqualTo(125_000_000L);
        assertThat(last.pendingBytes()).isEqualTo(250_000_000L);
        assertThat(last.devicePendingBytes()).isEqualTo(31_457_280L + 1_048_576L);
    }

    @Test
    void theIterationEventFollowsTheLineThatShowedTheDecision() throws Exception {
        ImportedTrace t = imported();
        RecordedEvent iterate = t.event(t.iterations().get(1).seq());
        RecordedEvent before = t.event(iterate.seq() - 1);
        assertThat(before.op()).isEqualTo("migrate_pending_exact");
        RecordedEvent after = t.event(iterate.seq() + 1);
        assertThat(after.op()).isEqualTo("migrate_transferred");
        assertThat(iterate.tsNs()).isEqualTo(after.tsNs());
        assertThat(ImportedTrace.args(iterate).get("decision").asText()).isEqualTo("iterate");
    }

    @Test
    void linesItDoesNotKnowAreCountedByName() throws Exception {
        ImportedTrace t = imported();
        assertThat(t.result().notUnderstood()).containsEntry("ram_save_page", 1L)
                .containsEntry("(not a trace event)", 1L).hasSize(2);
        assertThat(t.result().lines()).isEqualTo(60);
        assertThat(t.manifest().notes()).anyMatch(n -> n.startsWith("2 lines not understood")
                && n.contains("1 ram_save_page"));
    }

    @Test
    void theManifestNamesTheSourceTheDeviceAndTheInferredVersion() throws Exception {
        ImportedTrace t = imported();
        assertThat(t.manifest().source().kind()).isEqualTo("qemu-log");
        assertThat(t.manifest().source().tool()).startsWith("migtrace ");
        assertThat(t.manifest().complete()).isTrue();
        assertThat(t.manifest().hosts()).singleElement().satisfies(h -> {
            assertThat(h.name()).isNull();
            assertThat(h.qemu()).isEqualTo("9.1-10.0 (inferred)");
        });
        assertThat(t.manifest().devices()).singleElement().satisfies(d -> {
            assertThat(d.name()).isEqualTo(DEV);
            assertThat(d.protocol()).isEqualTo("v2");
            assertThat(d.features()).containsExactly("STOP_COPY", "P2P", "PRE_COPY");
        });
        assertThat(t.manifest().notes()).anyMatch(n -> n.startsWith("qemu: 9.1-10.0, inferred from the trace-event"
                + " formats of ") && n.contains("vfio_get_dirty_bitmap (8.2-10.0)"));
        assertThat(t.manifest().notes()).anyMatch(n -> n.startsWith("ts_ns: the log's own timestamps"));
        assertThat(t.manifest().notes()).anyMatch(n -> n.startsWith("dirty pages:"));
        assertThat(t.manifest().firstTsNs()).isEqualTo(T0 + 100_000);
    }
}
