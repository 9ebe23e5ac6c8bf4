package org.migtrace.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.migtrace.recorder.Recording;
import org.migtrace.replay.kernel.KernelTargetFactory;
import org.migtrace.sim.scenario.ScenarioLoader;
import org.migtrace.trace.BadTraceException;
import org.migtrace.trace.EventColumn;
import org.migtrace.trace.TraceWriter;
import org.migtrace.uapi.MigtraceException;

class BadTraceTest {
    @TempDir
    Path dir;

    @Test
    void argsThatAreNoJsonAreABadTraceNamingTheEvent() throws Exception {
        Path t = dir.resolve("bad-args");
        try (TraceWriter w = TraceWriter.create(t, Recording.of(ScenarioLoader.builtIn("nic-converges")).manifest())) {
            w.event().set(EventColumn.TS_NS, 0).set(EventColumn.HOST, "src").set(EventColumn.PID, 4242)
                    .set(EventColumn.TID, 4242).set(EventColumn.ACTOR, "vmm").set(EventColumn.KIND, "syscall")
                    .set(EventColumn.OP, "VFIO_GROUP_GET_STATUS").set(EventColumn.CMD, 15207)
                    .set(EventColumn.FD, 3).set(EventColumn.FD_KIND, "GROUP").set(EventColumn.RET, 0)
                    .set(EventColumn.ARGS, "{\"in\": {\"argsz\": 8,").commit();
        }
        assertThatThrownBy(() -> Replayer.replay(t, new KernelTargetFactory(), null))
                .isInstanceOf(BadTraceException.class)
                .hasMessageContaining("events.arrow").hasMessageContaining("event seq 0: args is not JSON")
                .satisfies(e -> assertThat(((MigtraceException) e).code()).isEqualTo(MigtraceException.ErrorCode.BAD_INPUT));
    }
}
