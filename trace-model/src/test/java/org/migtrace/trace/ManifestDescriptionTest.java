package org.migtrace.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an importer learns at the end of its input reaches the final manifest; notes round-trip. */
class ManifestDescriptionTest {

    @TempDir
    Path tmp;

    private static Manifest start() {
        return Manifest.start(new Manifest.Source("qemu-log", "test", null), List.of(), null, null, List.of(),
                List.of(), null);
    }

    @Test
    void finishingWithADescriptionWritesItsDevicesHostsAndNotes() throws Exception {
        Path dir = tmp.resolve("t");
        TraceWriter w = TraceWriter.create(dir, start());
        w.event().set(EventColumn.TS_NS, 5).set(EventColumn.ACTOR, "vmm").set(EventColumn.KIND, "tracepoint")
                .set(EventColumn.OP, "vfio_save_block").commit();
        Manifest described = Manifest.start(new Manifest.Source("qemu-log", "test", "cmd"),
                List.of(new Manifest.HostInfo("h1", null, "9.1 or later (inferred)")), null, null,
                List.of(new Manifest.DeviceInfo("h1", "0000:3b:00.1", "v2", List.of("STOP_COPY"), null, null, null,
                        null)), List.of(), null).withNotes(List.of("ts_ns: the line number"));
        w.finish(true, described);

        try (RecordedTrace t = RecordedTrace.open(dir)) {
            Manifest m = t.manifest();
            assertThat(m.devices()).extracting(Manifest.DeviceInfo::name).containsExactly("0000:3b:00.1");
            assertThat(m.hosts().get(0).qemu()).isEqualTo("9.1 or later (inferred)");
            assertThat(m.source().command()).isEqualTo("cmd");
            assertThat(m.notes()).containsExactly("ts_ns: the line number");
            assertThat(m.complete()).isTrue();
            assertThat(m.firstTsNs()).isEqualTo(5);
            assertThat(m.table(Table.EVENTS).orElseThrow().rows()).isEqualTo(1);
        }
        assertThat(TraceVerifier.verify(dir).ok()).isTrue();
    }

    @Test
    void aManifestWithoutNotesHasNoNotesKey() throws Exception {
        Path dir = tmp.resolve("t");
        try (TraceWriter w = TraceWriter.create(dir, start())) {
            w.flush();
        }
        assertThat(Files.readString(dir.resolve(TraceFormat.MANIFEST))).doesNotContain("notes");
        try (RecordedTrace t = RecordedTrace.open(dir)) {
            assertThat(t.manifest().notes()).isEmpty();
        }
    }
}
