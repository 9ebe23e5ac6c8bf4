package org.migtrace.recorder.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.migtrace.sim.mem.UserMemory;
import org.migtrace.sim.vmm.UStruct;
import org.migtrace.trace.EventColumn;
import org.migtrace.trace.EventRow;
import org.migtrace.uapi.DeviceFeature;
import org.migtrace.uapi.Ioctl;
import org.migtrace.uapi.Structs;

/** Decoding of struct arguments where the recorded runs do not reach: short sizes, faults, arrays, u64 extremes. */
class IoctlCodecsTest {
    private final UserMemory mem = new UserMemory();
    private final UserBytes user = mem::copyFrom;

    /** The typed columns {@code call} would set on a row. */
    private static Map<EventColumn, Object> columns(CallArgs call) {
        Map<EventColumn, Object> out = new java.util.EnumMap<>(EventColumn.class);
        call.applyTo(new EventRow() {
            @Override
            public EventRow set(EventColumn column, long value) {
                out.put(column, value);
                return this;
            }

            @Override
            public EventRow set(EventColumn column, String value) {
                out.put(column, value);
                return this;
            }

            @Override
            public long commit() {
                throw new UnsupportedOperationException();
            }
        });
        return out;
    }

    @Test
    void aFeaturePayloadShowsOnlyTheMembersArgszCovers() {
        UStruct s = new UStruct(mem, Structs.VFIO_DEVICE_FEATURE, Structs.VFIO_DEVICE_FEATURE_MIG_STATE.size());
        s.set("argsz", 12).set("flags", DeviceFeature.SET | DeviceFeature.MIG_DEVICE_STATE.index());
        s.payload(new byte[] {3, 0, 0, 0, -1, -1, -1, -1});
        CallArgs call = new CallArgs();

        IoctlCodecs.of(Ioctl.VFIO_DEVICE_FEATURE).enter(user, s.addr(), call);

        assertThat(call.in().get("data")).isEqualTo(Map.of("device_state", 3L));
        assertThat(columns(call)).containsEntry(EventColumn.REQUESTED_STATE, "STOP_COPY").containsEntry(EventColumn.STATE_RAW, 3L)
                .containsEntry(EventColumn.FEATURE, "MIG_DEVICE_STATE").containsEntry(EventColumn.FEATURE_OPS, "SET")
                .containsEntry(EventColumn.ARGSZ, 12L);
    }

    @Test
    void u64MembersAreUnsignedInArgsAndBitPatternsInColumns() {
        UStruct s = new UStruct(mem, Structs.IOMMU_IOAS_UNMAP);
        s.set("size", Structs.IOMMU_IOAS_UNMAP.size()).set("ioas_id", 2).set("iova", 0).set("length", -1L);
        CallArgs call = new CallArgs();

        IoctlCodecs.of(Ioctl.IOMMU_IOAS_UNMAP).enter(user, s.addr(), call);

        assertThat(call.in().get("length")).isEqualTo(new BigInteger("18446744073709551615"));
        assertThat(call.json()).contains("\"length\":18446744073709551615");
        assertThat(columns(call)).containsEntry(EventColumn.LENGTH, -1L).containsEntry(EventColumn.IOVA, 0L);
    }

    @Test
    void anArrayTheKernelFillsIsReadBackAsFarAsBothCountsGo() {
        UStruct ranges = new UStruct(mem, Structs.IOMMU_IOVA_RANGE, 3 * Structs.IOMMU_IOVA_RANGE.size());
        UStruct s = new UStruct(mem, Structs.IOMMU_IOAS_IOVA_RANGES);
        s.set("size", Structs.IOMMU_IOAS_IOVA_RANGES.size()).set("ioas_id", 2).set("num_iovas", 4)
                .set("allowed_iovas", ranges.addr());
        CallArgs call = new CallArgs();
        IoctlCodec codec = IoctlCodecs.of(Ioctl.IOMMU_IOAS_IOVA_RANGES);
        codec.enter(user, s.addr(), call);
        // the kernel: two ranges, and num_iovas says how many there are
        s.set("num_iovas", 2).set("out_iova_alignment", 4096);
        ranges.set("start", 0).set("last", 0xFEDF_FFFFL);

        codec.exit(user, s.addr(), 0, call);

        assertThat(call.out()).containsEntry("num_iovas", 2L).containsEntry("out_iova_alignment", 4096L);
        assertThat((List<?>) call.out().get("*allowed_iovas")).hasSize(2).first()
                .isEqualTo(Map.of("start", 0L, "last", 0xFEDF_FFFFL));
    }

    @Test
    void aFailedCallHasNoOutputsAndAFaultingArgumentNoInputs() {
        UStruct s = new UStruct(mem, Structs.IOMMU_IOAS_ALLOC);
        s.set("size", Structs.IOMMU_IOAS_ALLOC.size());
        CallArgs failed = new CallArgs();
        IoctlCodec codec = IoctlCodecs.of(Ioctl.IOMMU_IOAS_ALLOC);
        codec.enter(user, s.addr(), failed);
        codec.exit(user, s.addr(), -22, failed);
        CallArgs faulting = new CallArgs();
        codec.enter(user, 0x10, faulting);
        codec.exit(user, 0x10, -14, faulting);

        assertThat(failed.inOrNull()).isNotEmpty();
        assertThat(failed.json()).isEqualTo("{\"in\":" + Json.write(failed.inOrNull()) + "}"); // in alone
        assertThat(faulting.json()).isNull();
        assertThat(columns(faulting)).isEmpty();
    }

    @Test
    void aStructLongerThanItsLayoutIsDecodedUpToTheLayout() {
        UStruct s = new UStruct(mem, Structs.VFIO_GROUP_STATUS, 64);
        s.set("argsz", 72).set("flags", 0);
        CallArgs call = new CallArgs();

        IoctlCodecs.of(Ioctl.VFIO_GROUP_GET_STATUS).enter(user, s.addr(), call);

        assertThat(call.in()).containsOnlyKeys("argsz", "flags");
        assertThat(columns(call)).containsEntry(EventColumn.ARGSZ, 72L);
    }
}
