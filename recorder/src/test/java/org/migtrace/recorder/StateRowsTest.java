package org.migtrace.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.migtrace.sim.DeviceStateEvent;
import org.migtrace.trace.EventColumn;
import org.migtrace.uapi.MigState;
import org.migtrace.uapi.V1State;

/** State rows are the devices' state changes as the kernel made them, arc by arc, in order. */
class StateRowsTest {

    /** What a state change says, as the trace spells it. */
    record Change(String host, String device, long tsNs, String from, String to, long raw, String cause) {
    }

    private static String name(String protocol, int value) {
        return protocol.equals("v1") ? V1State.bits(value) : MigState.of(value).orElseThrow().name();
    }

    @ParameterizedTest
    @ValueSource(strings = {"nic-converges", "two-devices-p2p", "v1-legacy", "iommufd-hugepages"})
    void stateRowsReproduceTheDevicesArcSequence(String scenario) {
        Recorded r = Recorded.builtIn(scenario);

        List<Change> recorded = r.sink.kind("state").stream().map(row -> new Change(row.str(EventColumn.HOST),
                row.str(EventColumn.DEVICE), row.num(EventColumn.TS_NS), row.str(EventColumn.FROM_STATE),
                row.str(EventColumn.TO_STATE), row.num(EventColumn.STATE_RAW), row.args().get("cause").asText())).toList();
        List<Change> reported = r.seen.states.stream().map((DeviceStateEvent e) -> new Change(e.host(), e.device(), e.tsNs(),
                name(e.protocol(), e.from()), name(e.protocol(), e.to()), e.to(), e.cause())).toList();

        assertThat(recorded).isNotEmpty().containsExactlyElementsOf(reported);
        assertThat(r.sink.kind("state")).allSatisfy(row -> {
            assertThat(row.str(EventColumn.ACTOR)).isEqualTo("kernel");
            assertThat(row.str(EventColumn.OP)).isEqualTo("DEVICE_STATE");
        });
    }
}
