package org.migtrace.recorder.importer.qemulog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.migtrace.recorder.importer.ImportOptions;
import org.migtrace.recorder.importer.Importers;
import org.migtrace.recorder.importer.InputSource;
import org.migtrace.trace.BadTraceException;
import org.migtrace.trace.JsonlExport;
import org.migtrace.trace.JsonlImport;
import org.migtrace.trace.RecordedEvent;
import org.migtrace.trace.RecordedTrace;

/** The line shapes of the three eras, noise, inputs that are not logs, and what else a user feeds in. */
class LogShapesImportTest {

    @TempDir
    Path tmp;

    @Test
    void theOldEraPidPrefixIsReadAndItsV1FormsAreNotMistakenForV2() throws Exception {
        ImportedTrace t = ImportedTrace.resource("era-old-pid.log", tmp);
        RecordedEvent set = t.only("vfio_migration_set_state");
        assertThat(set.tid()).isEqualTo(24401);
        assertThat(set.tsNs()).isEqualTo(1_600_000_000_127_000_000L);
        assertThat(set.requestedState()).isNull(); // v1 device_state bits, not a v2 state
        assertThat(ImportedTrace.args(set).get("state").asLong()).isEqualTo(3);
        assertThat(ImportedTrace.args(t.only("migrate_pending")).get("max").asLong()).isZero();
        assertThat(t.result().notUnderstood()).containsOnlyKeys("vfio_update_pending");
        assertThat(t.manifest().hosts().get(0).qemu()).isEqualTo("5.1-7.2 (inferred)");
    }

    @Test
    void theMiddleEraReadsTheSameWithAndWithoutMsgTimestamp() throws Exception {
        ImportedTrace stamped = ImportedTrace.resource("era-middle-stamped.log", tmp.resolve("a"));
        ImportedTrace plain = ImportedTrace.resource("era-middle-plain.log", tmp.resolve("b"));
        RecordedEvent s = stamped.only("vfio_save_block");
        RecordedEvent p = plain.only("vfio_save_block");
        assertThat(s.tid()).isEqualTo(83112);
        assertThat(s.tsNs()).isEqualTo(1_753_122_905_917_608_000L);
        assertThat(p.tid()).isNull();
        assertThat(p.tsNs()).isEqualTo(1);
        assertThat(plain.only("migrate_set_state").tsNs()).isEqualTo(2);
        assertThat(p.count()).isEqualTo(s.count()).isEqualTo(1_048_576L);
        assertThat(p.args()).isEqualTo(s.args());
    }

    @Test
    void theNewEraIsoPrefixGivesUtcTimes() throws Exception {
        ImportedTrace t = ImportedTrace.resource("era-new-iso.log", tmp);
        assertThat(t.only("vfio_save_block").tsNs()).isEqualTo(nanos("2025-07-21T18:43:28.089797Z"));
        assertThat(t.only("migrate_set_state").tsNs()).isEqualTo(nanos("2025-07-21T18:43:29Z"));
        assertThat(t.only("vfio_save_block").tid()).isNull();
    }

    @Test
    void noiseIsCountedByNameAndTheRestImported() throws Exception {
        ImportedTrace t = ImportedTrace.resource("noise.log", tmp);
        assertThat(t.result().notUnderstood()).containsExactly(
                entry("(not a trace event)", 4), entry("ram_save_page", 1), entry("vfio_pci_load_rom", 1),
                entry("vfio_region_read", 2), entry("vfio_save_block (no known format)", 1));
        assertThat(t.events()).extracting(RecordedEvent::op).containsExactly("vfio_save_block", "migrate_set_state",
                "vfio_migration_set_device_state");
        assertThat(ImportedTrace.args(t.only("migrate_set_state")).get("new_state").asText()).isEqualTo("active");
        RecordedEvent unknown = t.only("vfio_migration_set_device_state");
        assertThat(unknown.toState()).isNull();
        assertThat(unknown.stateRaw()).isNull();
        assertThat(ImportedTrace.args(unknown).get("state").asText()).isEqualTo("UNKNOWN STATE");
        assertThat(t.manifest().notes()).anyMatch(n -> n.equals("9 lines not understood, counted and not imported: "
                + "4 (not a trace event), 2 vfio_region_read, 1 ram_save_page, 1 vfio_pci_load_rom, 1 vfio_save_block"
                + " (no known format)"));
    }

    @Test
    void binaryInputIsBadInputNamingTheLineAndLeavesNothingBehind() {
        Path dir = tmp.resolve("trace");
        byte[] bytes = "migrate_set_state new state setup\n\u007fELF\u0002\u0001\u0001\u0000\u0000\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        InputSource in = InputSource.of("qemu-system-x86_64", () -> new ByteArrayInputStream(bytes));
        assertThatThrownBy(() -> Importers.toTrace(new QemuLogImporter(), in, dir, ImportOptions.none()))
                .isInstanceOf(BadTraceException.class)
                .hasMessageStartingWith("qemu-system-x86_64:2: binary data (a NUL byte): not a QEMU log");
        assertThat(dir).doesNotExist();
    }

    @Test
    void gzipInputIsReadAsIsWhateverItsName() throws Exception {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            ImportedTrace.open("qemu-9.2-precopy.log").transferTo(out);
        }
        byte[] bytes = gz.toByteArray();
        ImportedTrace zipped = ImportedTrace.of(InputSource.of("log", () -> new ByteArrayInputStream(bytes)),
                tmp.resolve("a"), ImportOptions.none());
        ImportedTrace plain = ImportedTrace.resource("qemu-9.2-precopy.log", tmp.resolve("b"));
        assertThat(zipped.events()).isEqualTo(plain.events());
        assertThat(zipped.iterations()).isEqualTo(plain.iterations());
    }

    @Test
    void aFileOnDiskIsReadByPath() throws Exception {
        Path file = tmp.resolve("qemu.log");
        Files.copy(ImportedTrace.open("era-new-iso.log"), file);
        ImportedTrace t = ImportedTrace.of(InputSource.of(file.toString()), tmp.resolve("trace"), ImportOptions.none());
        assertThat(t.events()).hasSize(2);
    }

    @Test
    void aHostGivenByTheUserNamesTheRowsAndTheManifest() throws Exception {
        ImportedTrace t = ImportedTrace.resource("qemu-9.2-precopy.log", tmp, new ImportOptions("src-host", "cmd"));
        assertThat(t.events()).allSatisfy(e -> assertThat(e.host()).isEqualTo("src-host"));
        assertThat(t.iterations()).allSatisfy(r -> assertThat(r.host()).isEqualTo("src-host"));
        assertThat(t.manifest().hosts().get(0).name()).isEqualTo("src-host");
        assertThat(t.manifest().devices().get(0).host()).isEqualTo("src-host");
        assertThat(t.manifest().source().command()).isEqualTo("cmd");
    }

    @Test
    void anOverlongLineIsCountedNotKept() throws Exception {
        String text = "migrate_set_state new state setup\n" + "x".repeat(InputSource.MAX_LINE + 10)
                + "\nmigrate_set_state new state active\n";
        ImportedTrace t = ImportedTrace.text("long.log", text, tmp);
        assertThat(t.result().notUnderstood()).containsExactly(entry("(line too long)", 1));
        assertThat(t.events()).extracting(RecordedEvent::tsNs).containsExactly(1L, 1L, 3L);
    }

    @Test
    void timesThatGoBackKeepTheFileOrder() throws Exception {
        ImportedTrace t = ImportedTrace.text("race.log", """
                100@1753122900.000200:migrate_set_state new state active
                101@1753122900.000100:vfio_save_block  (dev) data_size 1
                """, tmp);
        assertThat(t.events()).extracting(RecordedEvent::tsNs).containsExactly(1_753_122_900_000_200_000L,
                1_753_122_900_000_200_000L);
        assertThat(t.manifest().notes()).anyMatch(n -> n.startsWith("ts_ns: 1 events were timestamped before"));
    }

    @Test
    void anEmptyLogIsAnEmptyCompleteTrace() throws Exception {
        ImportedTrace t = ImportedTrace.text("empty.log", "", tmp);
        assertThat(t.events()).isEmpty();
        assertThat(t.manifest().complete()).isTrue();
        assertThat(t.manifest().notes()).isEmpty();
    }

    @Test
    void anImportedTraceRoundTripsThroughJsonLines() throws Exception {
        ImportedTrace t = ImportedTrace.resource("qemu-10.1-precopy.log", tmp);
        Path jsonl = tmp.resolve("t.jsonl");
        JsonlExport.export(t.dir(), jsonl);
        Path back = tmp.resolve("back");
        JsonlImport.toTrace(jsonl, back);
        assertThat(RecordedTrace.readAllEvents(back)).isEqualTo(t.events());
        try (RecordedTrace again = RecordedTrace.open(back)) {
            assertThat(again.manifest().notes()).isEqualTo(t.manifest().notes());
            assertThat(again.manifest().devices()).isEqualTo(t.manifest().devices());
            StringWriter first = new StringWriter();
            StringWriter second = new StringWriter();
            try (RecordedTrace orig = RecordedTrace.open(t.dir())) {
                JsonlExport.export(orig, first);
            }
            JsonlExport.export(again, second);
            assertThat(second.toString()).isEqualTo(first.toString());
        }
    }

    private static java.util.Map.Entry<String, Long> entry(String key, long count) {
        return java.util.Map.entry(key, count);
    }

    private static long nanos(String iso) {
        Instant i = Instant.parse(iso);
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }
}
