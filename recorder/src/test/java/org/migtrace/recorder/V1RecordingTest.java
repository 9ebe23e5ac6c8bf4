package org.migtrace.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.migtrace.trace.EventColumn;
import org.migtrace.uapi.V1State;

/** The v1 scenario: migration-region accesses by pread/pwrite are placed in their region and decoded by register. */
class V1RecordingTest {
    private final Recorded r = Recorded.builtIn("v1-legacy");

    private List<MemorySink.Row> register(String op, String name) {
        return r.sink.rows("syscall", op).stream()
                .filter(row -> name.equals(row.args().path("register").asText(null))).toList();
    }

    @Test
    void deviceStateWritesAreTheV1StateRequestsAndTheWriteChangesTheState() {
        List<MemorySink.Row> writes = register("pwrite64", "device_state");

        assertThat(writes).isNotEmpty().allSatisfy(row -> {
            long value = row.args().at("/in/device_state").asLong();
            assertThat(row.num(EventColumn.STATE_RAW)).isEqualTo(value);
            assertThat(row.str(EventColumn.REQUESTED_STATE)).isEqualTo(V1State.bits(value));
            assertThat(row.num(EventColumn.COUNT)).isEqualTo(4);
            assertThat(row.args().get("region_offset").asLong()).isZero();
        });
        assertThat(writes).extracting(row -> row.str(EventColumn.REQUESTED_STATE))
                .contains("RUNNING|SAVING", "SAVING", "RESUMING", "RUNNING");
        for (MemorySink.Row write : writes) {
            int at = r.sink.rows.indexOf(write);
            String before = r.sink.rows.subList(0, at).stream()
                    .filter(s -> s.is("state", "DEVICE_STATE") && s.str(EventColumn.HOST).equals(write.str(EventColumn.HOST)))
                    .map(s -> s.str(EventColumn.TO_STATE)).reduce("RUNNING", (a, b) -> b);
            if (before.equals(write.str(EventColumn.REQUESTED_STATE))) {
                continue; // writing the state the device is in changes nothing
            }
            MemorySink.Row next = r.sink.rows.get(at + 1);
            assertThat(next.str(EventColumn.KIND)).isEqualTo("state");
            assertThat(next.args().get("cause").asText()).isEqualTo("write");
            assertThat(next.str(EventColumn.FROM_STATE)).isEqualTo(before);
            assertThat(next.str(EventColumn.TO_STATE)).isEqualTo(write.str(EventColumn.REQUESTED_STATE));
        }
    }

    @Test
    void registerReadsCarryTheValuesTheDeviceReturned() {
        assertThat(register("pread64", "device_state")).isNotEmpty().allSatisfy(row ->
                assertThat(row.str(EventColumn.TO_STATE)).isEqualTo(V1State.bits(row.args().at("/out/device_state").asLong())));
        assertThat(register("pread64", "pending_bytes")).isNotEmpty()
                .allSatisfy(row -> assertThat(row.args().at("/out/pending_bytes").isNumber()).isTrue())
                .anySatisfy(row -> assertThat(row.args().at("/out/pending_bytes").asLong()).isPositive());
        assertThat(register("pread64", "data_offset")).isNotEmpty();
        assertThat(register("pread64", "data_size")).isNotEmpty()
                .allSatisfy(row -> assertThat(row.args().get("region_offset").asLong()).isEqualTo(24));
    }

    @Test
    void everyAccessOfTheDeviceFdIsPlacedInTheMigrationRegion() {
        List<MemorySink.Row> accesses = r.sink.rows.stream().filter(row -> "DEVICE".equals(row.str(EventColumn.FD_KIND))
                && List.of("pread64", "pwrite64", "mmap").contains(row.str(EventColumn.OP))).toList();

        assertThat(accesses).isNotEmpty().allSatisfy(row -> {
            assertThat(row.args().get("region").asInt()).isGreaterThanOrEqualTo(9);
            assertThat(row.args().get("region_offset").asLong()).isNotNegative();
        });
        assertThat(accesses).filteredOn(row -> row.str(EventColumn.OP).equals("mmap"))
                .isNotEmpty().allSatisfy(row -> assertThat(row.num(EventColumn.VADDR)).isEqualTo(row.num(EventColumn.RET)));
    }
}
