package org.migtrace.cli.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.migtrace.cli.CliRun;

/** {@code migtrace import qemu-log} end to end, and what the other trace commands make of its trace. */
class ImportQemuLogCommandTest {

    /** A short precopy migration as QEMU 9.x logs it with -msg timestamp=on, and two lines of noise. */
    static final String LOG = """
            83112@1753122900.000100:migrate_set_state new state setup
            qemu-system-x86_64: warning: host doesn't support requested feature
            83140@1753122900.001000:migration_bitmap_sync_start 
            83140@1753122900.002000:vfio_get_dirty_bitmap iova=0x0 size= 0x80000000 bitmap_size=0x10000 start=0x0 dirty_pages=5
            83140@1753122900.004000:migration_bitmap_sync_end dirty_pages 100
            83140@1753122900.005000:vfio_migration_set_state  (0000:3b:00.1) new state PRE_COPY, recover state RUNNING
            83140@1753122900.006000:vfio_migration_set_device_state  (0000:3b:00.1) state PRE_COPY
            83140@1753122900.008000:migrate_pending_estimate estimate pending size 4000 (pre = 4000 post=0)
            ram_save_page pc.ram: offset: 0x1000 host: 0x7f0000001000
            83140@1753122900.108000:migrate_transferred transferred 1250 time_spent 100 bandwidth 12 switchover_bw 0 max_size 3600
            83140@1753122900.109000:migrate_pending_estimate estimate pending size 3000 (pre = 3000 post=0)
            83140@1753122900.110000:migration_bitmap_sync_start 
            83140@1753122900.111000:vfio_get_dirty_bitmap iova=0x0 size= 0x80000000 bitmap_size=0x10000 start=0x0 dirty_pages=1
            83140@1753122900.112000:migration_bitmap_sync_end dirty_pages 110
            83140@1753122900.113000:vfio_state_pending_exact  (0000:3b:00.1) precopy 3000 postcopy 0 stopcopy size 1000 precopy initial size 0 precopy dirty size 0
            83140@1753122900.114000:migrate_pending_exact exact pending size 3000 (pre = 3000 post=0)
            83140@1753122900.115000:migration_thread_low_pending 3000
            83140@1753122900.116000:migrate_set_state new state completed
            """;

    @TempDir
    Path dir;

    private Path log() throws Exception {
        Path log = dir.resolve("qemu.log");
        Files.writeString(log, LOG);
        return log;
    }

    @Test
    void importingALogPrintsWhatItMadeAndWhatItSkipped() throws Exception {
        Path trace = dir.resolve("t");
        CliRun run = CliRun.of("import", "qemu-log", log().toString(), "-o", trace.toString(), "--host", "src1");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.outLines()).containsExactly(
                "imported " + log() + " into " + trace + ": 21 events, 2 iterations from 18 lines",
                "QEMU 9.1-10.0 (inferred); devices: 0000:3b:00.1",
                "lines not understood: 2 (counted, not imported)",
                "  1  (not a trace event)",
                "  1  ram_save_page",
                "next: migtrace info " + trace + "   |   migtrace export jsonl " + trace);
    }

    @Test
    void theImportedTraceVerifiesAndInfoShowsItsSourceHostAndNotes() throws Exception {
        Path trace = dir.resolve("t");
        assertThat(CliRun.of("import", "qemu-log", log().toString(), "-o", trace.toString(), "--host", "src1").exit())
                .isZero();
        assertThat(CliRun.of("verify", trace.toString()).exit()).isZero();
        CliRun info = CliRun.of("info", trace.toString());
        assertThat(info.exit()).as(info.err()).isZero();
        assertThat(info.out()).contains("qemu-log, by migtrace").contains("migtrace import qemu-log")
                .contains("hosts src1 (QEMU 9.1-10.0 (inferred))")
                .contains("device src1 0000:3b:00.1: v2 STOP_COPY|PRE_COPY")
                .contains("note: 2 lines not understood, counted and not imported: 1 (not a trace event), 1"
                        + " ram_save_page");
        assertThat(info.outLines()).anyMatch(l -> l.matches("tracepoint\\s+vfio_migration_set_state\\s+1\\s+0"))
                .anyMatch(l -> l.matches("migration\\s+ITERATION\\s+2\\s+0"));
        CliRun export = CliRun.of("export", "jsonl", trace.toString());
        assertThat(export.exit()).isZero();
        assertThat(export.out()).contains("\"kind\":\"tracepoint\"").contains("\"table\":\"iterations\"")
                .contains("\"op\":\"vfio_migration_set_state\"");
    }

    @Test
    void standardInputIsReadWithADash() throws Exception {
        Path trace = dir.resolve("t");
        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream(LOG.getBytes(StandardCharsets.UTF_8)));
            CliRun run = CliRun.of("import", "qemu-log", "-", "-o", trace.toString());
            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(run.out()).startsWith("imported <stdin> into " + trace + ": 21 events, 2 iterations");
        } finally {
            System.setIn(stdin);
        }
    }

    @Test
    void aNonEmptyOutputDirectoryIsAUsageError() throws Exception {
        Path trace = Files.createDirectories(dir.resolve("t"));
        Files.writeString(trace.resolve("keep.txt"), "mine");
        CliRun run = CliRun.of("import", "qemu-log", log().toString(), "-o", trace.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains(trace + " is not empty");
        assertThat(trace.resolve("keep.txt")).hasContent("mine");
    }

    @Test
    void aMissingLogIsAUsageError() {
        CliRun run = CliRun.of("import", "qemu-log", dir.resolve("nope.log").toString(), "-o",
                dir.resolve("t").toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("nope.log: no such file");
    }

    @Test
    void binaryInputIsBadInputWithFileAndLineAndLeavesNoTrace() throws Exception {
        Path bin = dir.resolve("qemu.bin");
        Files.write(bin, new byte[] {'m', 'i', 'g', '\n', 0x7f, 'E', 'L', 'F', 0, 0, '\n'});
        Path trace = dir.resolve("t");
        CliRun run = CliRun.of("import", "qemu-log", bin.toString(), "-o", trace.toString());
        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.err()).startsWith("migtrace: " + bin + ":2: binary data (a NUL byte): not a QEMU log");
        assertThat(trace).doesNotExist();
    }

    @Test
    void helpListsTheImporter() {
        CliRun run = CliRun.of("help", "import");
        assertThat(run.out()).contains("qemu-log").contains("jsonl");
    }
}
