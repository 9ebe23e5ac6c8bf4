package org.migtrace.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.migtrace.uapi.MigtraceException.ErrorCode;

class FormatVersionTest {

    @TempDir
    Path tmp;

    private Path written() throws Exception {
        Path dir = tmp.resolve("t");
        SampleTrace.of(20).write(dir, 8);
        return dir;
    }

    /** The manifest's version as this migtrace writes it. */
    private static final String CURRENT = "\"version\": \"" + TraceFormat.version() + "\"";

    private static void setManifest(Path dir, String from, String to) throws Exception {
        String json = Files.readString(dir.resolve(TraceFormat.MANIFEST));
        assertThat(json).contains(from);
        TraceDirs.writeManifestJson(dir, json.replace(from, to));
    }

    @Test
    void aNewerMajorVersionIsRefusedNamingTheSupportedRange() throws Exception {
        Path dir = written();
        setManifest(dir, CURRENT, "\"version\": \"4.0\"");
        assertThatThrownBy(() -> RecordedTrace.open(dir)).isInstanceOf(BadTraceException.class)
                .hasMessage(dir.resolve("manifest.json") + ": format version 4.0 is not supported (supported: 1.x,"
                        + " 2.x, 3.x; this migtrace writes 3.0)")
                .satisfies(e -> assertThat(((BadTraceException) e).code()).isEqualTo(ErrorCode.BAD_INPUT));
    }

    @Test
    void aNewerMinorVersionWithUnknownKeysAndColumnsIsRead() throws Exception {
        Path dir = written();
        setManifest(dir, CURRENT, "\"version\": \"3.7\", \"future_key\": {\"x\": 1}");
        Path events = dir.resolve(Table.EVENTS.file());
        Files.delete(events);
        List<RecordedEvent> expected = SampleTrace.of(20).events();
        List<Object[]> rows = new ArrayList<>();
        for (RecordedEvent e : expected) {
            Object[] row = java.util.Arrays.copyOf(RawTraceFiles.event(e), EventColumn.values().length + 1);
            row[row.length - 1] = 7L;
            rows.add(row);
        }
        RawTraceFiles.write(events, RawTraceFiles.withExtraColumn(Table.EVENTS, "added_in_3_7"), rows);
        RawTraceFiles.finalManifest(dir, List.of(20L, (long) SampleTrace.of(20).dirtyRuns().size(),
                (long) SampleTrace.of(20).iterations().size()));
        setManifest(dir, CURRENT, "\"version\": \"3.7\"");

        try (RecordedTrace trace = RecordedTrace.open(dir)) {
            assertThat(trace.formatVersion()).hasToString("3.7");
            assertThat(TraceWriterReadBackTest.all(trace.events())).containsExactlyElementsOf(expected);
        }
        assertThat(TraceVerifier.verify(dir).notes()).anySatisfy(n -> assertThat(n).startsWith("format 3.7 is newer"));
    }

    @Test
    void aVersion1TraceWithoutTheBitsColumnReadsAsRunsAndVerifies() throws Exception {
        Path dir = written();
        SampleTrace sample = SampleTrace.of(20);
        List<RecordedDirtyRun> runs = sample.dirtyRuns().stream().filter(r -> !r.isWord()).toList();
        Path file = dir.resolve(Table.DIRTY_RUNS.file());
        Files.delete(file);
        RawTraceFiles.writeVersion1Runs(file, runs);
        RawTraceFiles.finalManifest(dir, List.of(20L, (long) runs.size(), (long) sample.iterations().size()));
        setManifest(dir, CURRENT, "\"version\": \"1.0\"");

        try (RecordedTrace trace = RecordedTrace.open(dir)) {
            assertThat(trace.formatVersion()).hasToString("1.0");
            assertThat(TraceWriterReadBackTest.all(trace.dirtyRuns())).containsExactlyElementsOf(runs)
                    .noneMatch(RecordedDirtyRun::isWord);
        }
        assertThat(TraceVerifier.verify(dir).ok()).isTrue();
    }

    @Test
    void aWrongFormatNameIsRefused() throws Exception {
        Path dir = written();
        setManifest(dir, "\"migtrace-trace\"", "\"chrome-trace\"");
        assertThatThrownBy(() -> RecordedTrace.open(dir)).isInstanceOf(BadTraceException.class)
                .hasMessage(dir.resolve("manifest.json")
                        + ": not a migtrace trace: format.name is 'chrome-trace' (expected 'migtrace-trace')");
    }

    @Test
    void theFormatIsCheckedBeforeAnyTableIsLooked() throws Exception {
        Path dir = written();
        Files.delete(dir.resolve(Table.EVENTS.file()));
        setManifest(dir, CURRENT, "\"version\": \"4.1\"");
        assertThatThrownBy(() -> RecordedTrace.open(dir)).hasMessageContaining("format version 4.1 is not supported");
    }

    @Test
    void aMissingManifestIsNamed() throws Exception {
        Path dir = written();
        Files.delete(dir.resolve(TraceFormat.MANIFEST));
        assertThatThrownBy(() -> RecordedTrace.open(dir)).isInstanceOf(BadTraceException.class)
                .hasMessage(dir.resolve("manifest.json") + ": missing: every trace directory has a manifest");
    }

    @Test
    void badJsonInTheManifestNamesLineAndColumn() throws Exception {
        Path dir = written();
        setManifest(dir, "\"complete\": true", "\"complete\": tru");
        assertThatThrownBy(() -> RecordedTrace.open(dir)).isInstanceOf(BadTraceException.class)
                .hasMessageMatching(java.util.regex.Pattern.quote(dir.resolve("manifest.json").toString())
                        + ":\\d+: column \\d+: .*");
    }

    @Test
    void aValueOfTheWrongTypeInTheManifestNamesItsKey() throws Exception {
        Path dir = written();
        setManifest(dir, "\"page_size\": 4096", "\"page_size\": \"big\"");
        assertThatThrownBy(() -> RecordedTrace.open(dir)).isInstanceOf(BadTraceException.class)
                .hasMessageStartingWith(dir.resolve("manifest.json") + ": key page_size: ");
    }

    @Test
    void aColumnOfTheWrongTypeIsRefused() throws Exception {
        Path dir = written();
        Path iterations = dir.resolve(Table.ITERATIONS.file());
        Files.delete(iterations);
        var fields = new ArrayList<>(RawTraceFiles.schema(Table.ITERATIONS).getFields());
        fields.set(3, org.apache.arrow.vector.types.pojo.Field.notNullable("iteration",
                new org.apache.arrow.vector.types.pojo.ArrowType.Int(64, true)));
        RawTraceFiles.write(iterations, new org.apache.arrow.vector.types.pojo.Schema(fields), List.of());
        assertThatThrownBy(() -> RecordedTrace.open(dir)).isInstanceOf(BadTraceException.class)
                .hasMessage(iterations + ": offset 8: schema: column iteration has type Int(64, true), expected Int(32, true)");
    }

    @Test
    void anArrowStreamIsNotTakenForAFile() throws Exception {
        Path dir = written();
        Path runs = dir.resolve(Table.DIRTY_RUNS.file());
        byte[] bytes = Files.readAllBytes(runs);
        Files.write(runs, java.util.Arrays.copyOfRange(bytes, 8, bytes.length));
        assertThatThrownBy(() -> RecordedTrace.open(dir)).isInstanceOf(BadTraceException.class)
                .hasMessage(runs + ": offset 0: an Arrow IPC stream, not an IPC file (no ARROW1 magic)");
    }
}
