package org.migtrace.cli.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.migtrace.cli.CliRun;

/** {@code import bpftrace}, {@code record --bpftrace}'s checks, and the lost-event warnings of {@code info} and {@code verify}. */
class BpftraceCommandsTest {
    @TempDir
    Path dir;

    private static String printf(String payload) {
        return "{\"type\": \"printf\", \"data\": \"" + payload.replace("\"", "\\\"") + "\\n\"}";
    }

    private Path capture() throws Exception {
        return Files.writeString(dir.resolve("capture.json"), String.join("\n", List.of(
                "{\"type\": \"attached_probes\", \"data\": {\"probes\": 17}}",
                printf("{\"migtrace\":\"start\",\"script\":1,\"pid\":77,\"ts_ns\":1,\"bitmap_cap\":32768}"),
                printf("{\"ts_ns\":100,\"t1\":200,\"pid\":77,\"tid\":77,\"op\":\"openat\",\"k\":1,\"ret\":5,"
                        + "\"object\":\"/dev/vfio/vfio\",\"thread\":\"qemu\"}"),
                "{\"type\": \"lost_events\", \"data\": {\"events\": 7}}",
                "{\"type\": \"helper_error\", \"msg\": \"Bad address\", \"helper\": \"probe_read\", \"retcode\": -14, \"line\": 9, \"col\": 2}",
                "{\"type\": \"map\", \"data\": {\"@calls\": 3}}",
                printf("{\"migtrace\":\"end\",\"ts_ns\":300}"))) + "\n");
    }

    @Test
    void importReportsLossesDiagnosticsAndOtherOutputAndInfoAndVerifyWarn() throws Exception {
        Path trace = dir.resolve("t");
        CliRun imported = CliRun.of("import", "bpftrace", capture().toString(), "-o", trace.toString(), "--host", "h1");
        assertThat(imported.exit()).as(imported.err()).isZero();
        assertThat(imported.out()).contains("imported " + dir.resolve("capture.json") + " into " + trace,
                "capture complete", "warning: the capture lost 7 events",
                "diagnostic: bpftrace helper_error x1 (first at line 5): probe_read: Bad address (script line 9)",
                "other output: map x1 (first at line 6): {\"@calls\":3}");

        CliRun info = CliRun.of("info", trace.toString());
        assertThat(info.exit()).isZero();
        assertThat(info.out()).contains("bpftrace, by bpftrace (version unknown) with migtrace-vfio.bt 1",
                "warning: the capture lost 7 events", "warning: 1 diagnostic of the capture tool");
        CliRun verify = CliRun.of("verify", trace.toString());
        assertThat(verify.exit()).isZero();
        assertThat(verify.out()).contains(": ok: ", "warning: the capture lost 7 events");
    }

    @Test
    void importOfSomethingElseIsBadInputWithItsLineAndLeavesNothing() throws Exception {
        Path bad = Files.writeString(dir.resolve("text.log"), "Attaching 17 probes...\n");
        Path trace = dir.resolve("t");
        CliRun run = CliRun.of("import", "bpftrace", bad.toString(), "-o", trace.toString());
        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.err()).contains(bad + ":1: not bpftrace JSON output");
        assertThat(trace).doesNotExist();
    }

    @Test
    void recordTakesAScenarioOrALiveCaptureNotBothNorNeither() {
        CliRun both = CliRun.of("record", "--scenario", "nic-converges", "--bpftrace", "--pid", "1", "-o",
                dir.resolve("t").toString());
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("mutually exclusive");
        CliRun neither = CliRun.of("record", "-o", dir.resolve("t").toString());
        assertThat(neither.exit()).isEqualTo(2);
        CliRun pidless = CliRun.of("record", "--bpftrace", "-o", dir.resolve("t").toString());
        assertThat(pidless.exit()).isEqualTo(2);
        assertThat(pidless.err()).contains("--pid");
    }

    @Test
    void aLiveCaptureWithoutBpftraceSaysWhatToDo() {
        CliRun run = CliRun.of("record", "--bpftrace", "--pid", Long.toString(ProcessHandle.current().pid()),
                "--bpftrace-path", "/nonexistent/bpftrace", "-o", dir.resolve("t").toString());
        assertThat(run.exit()).isEqualTo(4);
        assertThat(run.err()).contains("cannot capture with bpftrace here: bpftrace not found (/nonexistent/bpftrace): install it");
        assertThat(dir.resolve("t")).doesNotExist();
    }
}
