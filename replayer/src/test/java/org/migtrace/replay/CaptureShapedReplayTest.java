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
    static Path lossy;

    @BeforeAll
    static void make() throws Exception {
        capture = convert("capture", false);
        lossy = convert("lossy", true);
    }

    /** The capture; with {@code loss}, the source's VFIO_GROUP_SET_CONTAINER lost (a lost row in its place). */
    static Path convert(String name, boolean loss) throws Exception {
        Path jsonl = dir.resolve(name + ".jsonl");
        JsonlExport.export(SampleTraces.of("nic-converges"), jsonl);
        ObjectMapper m = new ObjectMapper();
        List<String> kept = new ArrayList<>();
        for (String line : Files.readAllLines(jsonl)) {
            ObjectNode o = (ObjectNode) m.readTree(line);
            if (o.has("format")) {
                o.remove("scenario");
                ((ObjectNode) o.get("source")).put("kind", "bpftrace");
                o.put("lost_events", loss ? 1 : 0);
                kept.add(m.writeValueAsString(o));
            } else if (loss && "VFIO_GROUP_SET_CONTAINER".equals(o.path("op").asText())
                    && "src".equals(o.path("host").asText())) {
                loss = false;
                kept.add("{\"ts_ns\": " + o.get("ts_ns") + ", \"actor\": \"capture\", \"kind\": \"lost\", "
                        + "\"op\": \"LOST\", \"count\": 1}");
            } else if ("syscall".equals(o.path("kind").asText()) && !o.has("table")) {
                kept.add(m.writeValueAsString(o));
            }
        }
        Path trace = dir.resolve(name);
        JsonlImport.toTrace(new BufferedReader(new StringReader(String.join("\n", kept))), jsonl, trace);
        return trace;
    }

    @Test
    void theReferenceReproducesACaptureFromTheDerivedWrites() throws Exception {
        ReplayResult r = Replayer.replay(capture, new KernelTargetFactory(), null);
        assertThat(r.divergences()).isEmpty();
        assertThat(r.derived()).as("bitmaps explained by derived writes").isPositive();
    }

    @Test
    void divergencesAfterALossSayHowManyEventsWereLostBeforeThem() throws Exception {
        ReplayResult r = Replayer.replay(lossy, new KernelTargetFactory(), null);
        assertThat(r.lostEvents()).isEqualTo(1);
        assertThat(r.divergences()).isNotEmpty();
        assertThat(r.divergences().get(0).note()).endsWith("after 1 lost events");
        assertThat(ReplaySummary.lines(r)).anyMatch(l -> l.startsWith("warning: the capture lost 1 events"));
    }

    @Test
    void aTargetThatTracksDirtDifferentlyDivergesOnTheCapture() throws Exception {
        ReplayResult r = Replayer.replay(capture, new NoClearReport(), null);
        assertThat(r.divergences()).isNotEmpty();
        assertThat(r.divergences().get(0).field()).isEqualTo("bitmap");
    }
}
