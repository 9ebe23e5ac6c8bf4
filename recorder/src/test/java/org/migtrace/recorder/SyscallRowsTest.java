package org.migtrace.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.migtrace.sim.SimClock;
import org.migtrace.sim.SimHost;
import org.migtrace.sim.SimThread;
import org.migtrace.trace.EventColumn;
import org.migtrace.uapi.Ioctl;
import org.migtrace.uapi.MigState;
import org.migtrace.uapi.Structs;

/** The columns and {@code args} of syscall rows, from recorded runs and from calls made directly. */
class SyscallRowsTest {

    private static List<MemorySink.Row> feature(Recorded r, String feature, String ops) {
        return r.sink.rows("syscall", "VFIO_DEVICE_FEATURE").stream()
                .filter(row -> feature.equals(row.str(EventColumn.FEATURE)) && ops.equals(row.str(EventColumn.FEATURE_OPS)))
                .toList();
    }

    @Test
    void aMigDeviceStateSetRowHasTheRequestedStateTheResultAndTheDataFd() {
        List<MemorySink.Row> sets = feature(Recorded.builtIn("nic-converges"), "MIG_DEVICE_STATE", "SET");

        assertThat(sets).isNotEmpty().allSatisfy(row -> {
            assertThat(row.num(EventColumn.RET)).isZero();
            String requested = row.str(EventColumn.REQUESTED_STATE);
            assertThat(row.str(EventColumn.TO_STATE)).isEqualTo(requested);
            assertThat(row.num(EventColumn.STATE_RAW)).isEqualTo(MigState.valueOf(requested).value());
            assertThat(row.num(EventColumn.DATA_FD)).isNotNull();
            assertThat(row.args().at("/in/data/device_state").asLong()).isEqualTo(row.num(EventColumn.STATE_RAW));
            assertThat(row.args().at("/out/data/data_fd").asLong()).isEqualTo(row.num(EventColumn.DATA_FD));
        });
        assertThat(sets).filteredOn(r -> r.str(EventColumn.REQUESTED_STATE).equals("PRE_COPY"))
                .singleElement().satisfies(r -> assertThat(r.num(EventColumn.DATA_FD)).isNotNegative());
        assertThat(sets).filteredOn(r -> r.str(EventColumn.REQUESTED_STATE).equals("RESUMING"))
                .singleElement().satisfies(r -> {
                    assertThat(r.str(EventColumn.HOST)).isEqualTo("dst");
                    assertThat(r.num(EventColumn.DATA_FD)).isNotNegative();
                });
    }

    @Test
    void theStateArcsOfACallFollowItsRowWithItsCallerAndSeq() {
        Recorded r = Recorded.builtIn("two-devices-p2p");
        List<MemorySink.Row> rows = r.sink.rows;

        for (int i = 0; i < rows.size(); i++) {
            MemorySink.Row state = rows.get(i);
            if (!"state".equals(state.str(EventColumn.KIND))) {
                continue;
            }
            long callSeq = state.args().get("syscall_seq").asLong();
            int j = i - 1;
            while (rows.get(j).seq() != callSeq) {
                assertThat(rows.get(j).str(EventColumn.KIND)).as("only the call's other arcs in between").isEqualTo("state");
                j--;
            }
            MemorySink.Row call = rows.get(j);
            assertThat(call.str(EventColumn.DEVICE)).isEqualTo(state.str(EventColumn.DEVICE));
            assertThat(List.of(call.str(EventColumn.HOST), call.num(EventColumn.TID), call.num(EventColumn.TS_NS)))
                    .containsExactly(state.str(EventColumn.HOST), state.num(EventColumn.TID), state.num(EventColumn.TS_NS));
        }
        for (MemorySink.Row set : feature(r, "MIG_DEVICE_STATE", "SET")) {
            List<MemorySink.Row> arcs = rows.stream().filter(s -> "state".equals(s.str(EventColumn.KIND))
                    && s.args().get("syscall_seq").asLong() == set.seq()).toList();
            if (!arcs.isEmpty()) {
                assertThat(arcs.get(arcs.size() - 1).str(EventColumn.TO_STATE)).isEqualTo(set.str(EventColumn.TO_STATE));
            }
        }
    }

    @Test
    void sizeAndPrecopyQueriesFillTheirColumns() {
        Recorded r = Recorded.builtIn("nic-converges");

        assertThat(feature(r, "MIG_DATA_SIZE", "GET")).isNotEmpty()
                .allSatisfy(row -> assertThat(row.num(EventColumn.STOP_COPY_LENGTH)).isPositive());
        assertThat(r.sink.rows("syscall", "VFIO_MIG_GET_PRECOPY_INFO")).isNotEmpty().allSatisfy(row -> {
            assertThat(row.str(EventColumn.FD_KIND)).isEqualTo("MIG_DATA");
            assertThat(row.str(EventColumn.DEVICE)).isEqualTo("0000:3b:00.1");
            assertThat(row.num(EventColumn.INITIAL_BYTES)).isEqualTo(row.args().at("/out/initial_bytes").asLong());
            assertThat(row.num(EventColumn.DIRTY_BYTES)).isNotNull();
        });
        assertThat(feature(r, "MIGRATION", "GET")).allSatisfy(row -> assertThat(row.num(EventColumn.FLAGS)).isEqualTo(7));
    }

    @Test
    void dmaLoggingStartCarriesItsPageSizeAndRanges() {
        List<MemorySink.Row> starts = feature(Recorded.builtIn("nic-converges"), "DMA_LOGGING_START", "SET");

        assertThat(starts).singleElement().satisfies(row -> {
            assertThat(row.num(EventColumn.PAGE_SIZE)).isEqualTo(4096);
            JsonNode ranges = row.args().at("/in/data/*ranges");
            assertThat(ranges.size()).isEqualTo(row.args().at("/in/data/num_ranges").asInt()).isEqualTo(2);
            // 16 GiB on q35: 2 GiB below 4 GiB, 14 GiB from 4 GiB
            assertThat(ranges.get(0).get("iova").asLong()).isZero();
            assertThat(ranges.get(1).get("iova").asLong()).isEqualTo(1L << 32);
            assertThat(ranges.get(0).get("length").asLong() + ranges.get(1).get("length").asLong()).isEqualTo(16L << 30);
        });
    }

    @Test
    void capabilityChainsAreDecoded() {
        Recorded r = Recorded.builtIn("v1-legacy");

        JsonNode migrationCap = r.sink.rows("syscall", "VFIO_IOMMU_GET_INFO").stream()
                .map(row -> row.args().at("/out/caps")).filter(JsonNode::isArray)
                .flatMap(caps -> java.util.stream.StreamSupport.stream(caps.spliterator(), false))
                .filter(c -> c.at("/header/id").asInt() == Structs.VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION)
                .findFirst().orElseThrow();
        assertThat(migrationCap.get("pgsize_bitmap").asLong() & 4096).isEqualTo(4096);
        assertThat(r.sink.rows("syscall", "VFIO_DEVICE_GET_REGION_INFO").stream()
                .map(row -> row.args().at("/out/caps")).filter(JsonNode::isArray)
                .flatMap(caps -> java.util.stream.StreamSupport.stream(caps.spliterator(), false))
                .filter(c -> c.at("/header/id").asInt() == Structs.VFIO_REGION_INFO_CAP_TYPE))
                .anySatisfy(c -> assertThat(List.of(c.get("type").asInt(), c.get("subtype").asInt()))
                        .containsExactly(Structs.VFIO_REGION_TYPE_MIGRATION, Structs.VFIO_REGION_SUBTYPE_MIGRATION));
    }

    @Test
    void aCallOnABadFdHasErrnoAndAnUnknownNumberKeepsItsRawCommand() {
        MemorySink sink = new MemorySink();
        SimHost host = new SimHost("h1", new SimClock());
        host.addObserver(new SimRecorder(sink));
        SimThread t = host.spawn("vmm", 77).mainThread();

        t.ioctl(42, Ioctl.VFIO_DEVICE_FEATURE.number(), 0);
        t.close(42);

        assertThat(sink.rows).hasSize(2);
        MemorySink.Row ioctl = sink.rows.get(0);
        assertThat(ioctl.str(EventColumn.OP)).as("no fd, so no fd kind to name the number").isEqualTo("ioctl");
        assertThat(ioctl.num(EventColumn.CMD)).isEqualTo(0x3B75);
        assertThat(ioctl.str(EventColumn.FD_KIND)).isEqualTo("OTHER");
        assertThat(List.of(ioctl.num(EventColumn.RET), ioctl.str(EventColumn.ERRNO), ioctl.num(EventColumn.ERRNO_NUM)))
                .containsExactly(-9L, "EBADF", 9L);
        assertThat(List.of(ioctl.str(EventColumn.HOST), ioctl.num(EventColumn.PID), ioctl.str(EventColumn.THREAD)))
                .containsExactly("h1", 77L, "vmm");
        assertThat(sink.rows.get(1).str(EventColumn.OP)).isEqualTo("close");
        assertThat(sink.rows.get(1).str(EventColumn.ERRNO)).isEqualTo("EBADF");
        assertThat(sink.rows.get(1).num(EventColumn.TS_NS)).isGreaterThan(ioctl.num(EventColumn.TS_NS));
    }

    @Test
    void aFailingStateChangeHasErrnoAndNoResultingStateThenTheResetFollows() throws Exception {
        Recorded r = Recorded.of(Recorded.faultyNic("[\"PRE_COPY_P2P>STOP_COPY:EIO\"]"));

        MemorySink.Row failed = feature(r, "MIG_DEVICE_STATE", "SET").stream()
                .filter(row -> row.num(EventColumn.RET) < 0).findFirst().orElseThrow();
        assertThat(List.of(failed.num(EventColumn.RET), failed.str(EventColumn.ERRNO), failed.num(EventColumn.ERRNO_NUM)))
                .containsExactly(-5L, "EIO", 5L);
        assertThat(failed.str(EventColumn.REQUESTED_STATE)).isEqualTo("STOP_COPY");
        assertThat(failed.str(EventColumn.TO_STATE)).isNull();
        assertThat(failed.args().has("out")).isFalse();
        MemorySink.Row reset = r.sink.rows("syscall", "VFIO_DEVICE_RESET").stream()
                .filter(row -> row.seq() > failed.seq()).findFirst().orElseThrow();
        assertThat(r.sink.kind("state")).anySatisfy(s -> {
            assertThat(s.args().get("cause").asText()).isEqualTo("reset");
            assertThat(s.args().get("syscall_seq").asLong()).isEqualTo(reset.seq());
        });
        assertThat(r.sink.rows("migration", "FAILED")).singleElement().satisfies(row -> {
            assertThat(row.str(EventColumn.DEVICE)).isEqualTo("0000:3b:00.1");
            assertThat(row.args().get("errno").asText()).isEqualTo("EIO");
        });
    }
}
