package org.migtrace.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.migtrace.replay.kernel.KernelTargetFactory;
import org.migtrace.replay.variant.NoClearReport;
import org.migtrace.trace.JsonlExport;
import org.migtrace.trace.JsonlImport;

/**
 * A trace shaped like a bpftrace capture of a real host: the syscalls only (no guest or device
 * writes, no kernel state rows, no migration steps), source bpftrace, no scenario. The replayer
 * derives the device writes from the recorded bitmaps and the kernel is configured from the
 * manifest's devices.
 */
class CaptureShapedReplayTest {
    @TempDir
    static Path dir;

    static Path capture;

    @BeforeAll
    static void make() throws Exception {
        Path jsonl = dir.resolve("sim.jsonl");
        JsonlExport.export(SampleTraces.of("nic-converges"), jsonl);
        ObjectMapper m = new ObjectMapper();
        List<String> kept = new ArrayList<>();
        for (String line : Files.readAllLines(jsonl)) {
            ObjectNode o = (ObjectNode) m.readTree(line);
            if (o.has("format")) {
                o.remove("scenario");
                ((ObjectNode) o.get("source")).put("kind", "bpftrace");
                kept.add(m.writeValueAsString(o));
            } else if ("syscall".equals(o.path("kind").asText()) && !o.has("table")) {
                kept.add(m.writeValueAsString(o));
            }
        }
        capture = dir.resolve("capture");
        JsonlImport.toTrace(new BufferedReader(new StringReader(String.join("\n", kept))), jsonl, capture);
    }

    @Test
    void theReferenceReproducesACaptureFromTheDerivedWrites() throws Exception {
        ReplayResult r = Replayer.replay(capture, new KernelTargetFactory(), null);
        assertThat(r.divergences()).isEmpty();
        assertThat(r.derived()).as("bitmaps explained by derived writes").isPositive();
    }

    @Test
    void aTargetThatTracksDirtDifferentlyDivergesOnTheCapture() throws Exception {
        ReplayResult r = Replayer.replay(capture, new NoClearReport(), null);
        assertThat(r.divergences()).isNotEmpty();
        assertThat(r.divergences().get(0).field()).isEqualTo("bitmap");
    }
}
