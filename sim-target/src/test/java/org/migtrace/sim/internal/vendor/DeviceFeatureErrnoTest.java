package org.migtrace.sim.internal.vendor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.migtrace.uapi.DeviceFeature.GET;
import static org.migtrace.uapi.DeviceFeature.PROBE;
import static org.migtrace.uapi.DeviceFeature.SET;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.migtrace.sim.vendor.V2DeviceConfig;
import org.migtrace.sim.vendor.VendorModel;
import org.migtrace.sim.vmm.DeviceCalls;
import org.migtrace.sim.vmm.UStruct;
import org.migtrace.uapi.DeviceFeature;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.Ioctl;
import org.migtrace.uapi.MigState;
import org.migtrace.uapi.Structs;

/** The {@code VFIO_DEVICE_FEATURE} errno paths (reference B.2–B.8) as the drivers answer them. */
class DeviceFeatureErrnoTest {
    static final long EINVAL = Errno.EINVAL.ret();
    static final long ENOTTY = Errno.ENOTTY.ret();

    static Rig rig(VendorModel model) {
        return new Rig(V2DeviceConfig.builder(model).stopCopyBytes(1 << 20).build());
    }

    static long call(Rig rig, int flags, long argsz, int payloadBytes) {
        return rig.calls.feature(flags, new byte[payloadBytes], argsz).ret();
    }

    @Test
    void probeIsAnsweredBeforeThePayloadIsLookedAt() {
        Rig rig = rig(VendorModel.MLX5_VF);
        assertThat(call(rig, DeviceFeature.MIGRATION.index() | PROBE | GET, 8, 0)).isZero();
        assertThat(call(rig, DeviceFeature.MIG_DEVICE_STATE.index() | PROBE | GET | SET, 8, 0)).isZero();
        assertThat(call(rig, DeviceFeature.DMA_LOGGING_REPORT.index() | PROBE | GET, 8, 0)).isZero();
        assertThat(rig.calls.probe(DeviceFeature.MIG_DATA_SIZE, GET)).isZero();
    }

    @Test
    void probeOfAnOpTheFeatureLacksIsEinval() {
        Rig rig = rig(VendorModel.MLX5_VF);
        assertThat(rig.calls.probe(DeviceFeature.MIGRATION, SET)).isEqualTo(EINVAL);
        assertThat(rig.calls.probe(DeviceFeature.DMA_LOGGING_START, GET)).isEqualTo(EINVAL);
    }

    @Test
    void getAndSetTogetherNeedProbe() {
        Rig rig = rig(VendorModel.MLX5_VF);
        assertThat(call(rig, DeviceFeature.MIG_DEVICE_STATE.index() | GET | SET, 16, 8)).isEqualTo(EINVAL);
    }

    @Test
    void unknownFlagBitsAndShortHeadersAreEinval() {
        Rig rig = rig(VendorModel.MLX5_VF);
        assertThat(call(rig, DeviceFeature.MIGRATION.index() | GET | (1 << 19), 16, 8)).isEqualTo(EINVAL);
        assertThat(call(rig, DeviceFeature.MIGRATION.index() | GET, 7, 8)).isEqualTo(EINVAL);
    }

    @ParameterizedTest
    @EnumSource(VendorModel.class)
    void anUnknownFeatureIndexIsEnottyOnEveryDriver(VendorModel model) {
        // current kernels: vfio-pci core answers ENOTTY, and a driver without a hook (mtty) gets ENOTTY too
        assertThat(call(rig(model), 0x1234 | GET, 16, 8)).isEqualTo(ENOTTY);
    }

    @Test
    void migrationFeaturesOnADeviceWithoutMigrationAreEnotty() {
        Rig rig = rig(VendorModel.PLAIN_VF);
        assertThat(rig.calls.migration().ret()).isEqualTo(ENOTTY);
        assertThat(rig.calls.getState().ret()).isEqualTo(ENOTTY);
        assertThat(rig.calls.setState(MigState.STOP).ret()).isEqualTo(ENOTTY);
        assertThat(rig.calls.dataSize().ret()).isEqualTo(ENOTTY);
        assertThat(rig.calls.probe(DeviceFeature.MIGRATION, GET)).as("the ops check comes before PROBE").isEqualTo(ENOTTY);
        assertThat(rig.calls.loggingStop()).isEqualTo(ENOTTY);
    }

    @Test
    void loggingFeaturesOnADeviceWithoutLogOpsAreEnotty() {
        Rig rig = rig(VendorModel.HISI_ACC_VF);
        assertThat(rig.calls.loggingStart(4096, java.util.List.of(new DeviceCalls.Range(0, 4096))).ret())
                .isEqualTo(ENOTTY);
        assertThat(rig.calls.loggingStop()).isEqualTo(ENOTTY);
        assertThat(rig.calls.loggingReport(0, 4096, 4096).ret()).isEqualTo(ENOTTY);
        assertThat(rig.calls.migration().ret()).isZero();
    }

    @Test
    void anOpTheFeatureLacksOrNoOpAtAllIsEinval() {
        Rig rig = rig(VendorModel.MLX5_VF);
        assertThat(call(rig, DeviceFeature.MIGRATION.index() | SET, 16, 8)).isEqualTo(EINVAL);
        assertThat(call(rig, DeviceFeature.MIG_DATA_SIZE.index() | SET, 16, 8)).isEqualTo(EINVAL);
        assertThat(call(rig, DeviceFeature.DMA_LOGGING_START.index() | GET, 32, 24)).isEqualTo(EINVAL);
        assertThat(call(rig, DeviceFeature.MIG_DEVICE_STATE.index(), 16, 8)).isEqualTo(EINVAL);
    }

    @Test
    void aPayloadShorterThanTheFeatureNeedsIsEinval() {
        Rig rig = rig(VendorModel.MLX5_VF);
        assertThat(call(rig, DeviceFeature.MIG_DEVICE_STATE.index() | GET, 8 + 7, 8)).isEqualTo(EINVAL);
        assertThat(call(rig, DeviceFeature.MIGRATION.index() | GET, 8, 8)).isEqualTo(EINVAL);
        assertThat(call(rig, DeviceFeature.DMA_LOGGING_REPORT.index() | GET, 8 + 31, 32)).isEqualTo(EINVAL);
    }

    @Test
    void migrationReportsEachDriversFlags() {
        assertThat(rig(VendorModel.MLX5_VF).calls.migration().flags()).isEqualTo(7);
        assertThat(rig(VendorModel.HISI_ACC_VF).calls.migration().flags()).isEqualTo(5);
        assertThat(rig(VendorModel.MTTY).calls.migration().flags()).isEqualTo(7);
        assertThat(rig(VendorModel.MDEV_PIN).calls.migration().flags()).isEqualTo(7);
    }

    @Test
    void aFailingSetStillCopiesTheStructBackWithDataFdMinusOne() {
        Rig rig = rig(VendorModel.MLX5_VF);
        assertThat(rig.calls.setState(MigState.STOP_COPY).ret()).isZero();
        var l = Structs.VFIO_DEVICE_FEATURE_MIG_STATE;
        byte[] in = new byte[l.size()];
        l.field("device_state").put(in, 0, MigState.PRE_COPY.value());
        l.field("data_fd").put(in, 0, 1234);
        DeviceCalls.Feature f = rig.calls.feature(DeviceFeature.MIG_DEVICE_STATE.index() | SET, in, 16);
        assertThat(f.ret()).isEqualTo(EINVAL);
        assertThat(l.field("data_fd").get(f.payload(), 0)).isEqualTo(-1);
        assertThat(l.field("device_state").get(f.payload(), 0)).isEqualTo(MigState.PRE_COPY.value());
    }

    @Test
    void getReportsTheStateWithDataFdMinusOne() {
        Rig rig = rig(VendorModel.MTTY);
        DeviceCalls.MigStateResult r = rig.calls.getState();
        assertThat(r.ret()).isZero();
        assertThat(r.state()).contains(MigState.RUNNING);
        assertThat(r.dataFd()).isEqualTo(-1);
    }

    @Test
    void unmappedHeadersAndPayloadsFault() {
        Rig rig = rig(VendorModel.MLX5_VF);
        assertThat(rig.thread.ioctl(rig.fd, Ioctl.VFIO_DEVICE_FEATURE.number(), 0x10)).isEqualTo(Errno.EFAULT.ret());
        try (UStruct hdrOnly = new UStruct(rig.process.memory(), Structs.VFIO_DEVICE_FEATURE)) {
            hdrOnly.set("argsz", 16).set("flags", DeviceFeature.MIG_DEVICE_STATE.index() | GET);
            assertThat(rig.thread.ioctl(rig.fd, Ioctl.VFIO_DEVICE_FEATURE.number(), hdrOnly.addr()))
                    .isEqualTo(Errno.EFAULT.ret());
            hdrOnly.set("flags", DeviceFeature.MIG_DATA_SIZE.index() | GET);
            assertThat(rig.thread.ioctl(rig.fd, Ioctl.VFIO_DEVICE_FEATURE.number(), hdrOnly.addr()))
                    .isEqualTo(Errno.EFAULT.ret());
        }
        assertThat(rig.calls.loggingStart(4096, 1, 0x10).ret()).as("ranges array").isEqualTo(Errno.EFAULT.ret());
    }

    @Test
    void migDataSizeIsEachDriversStopCopyEstimate() {
        assertThat(rig(VendorModel.MLX5_VF).calls.dataSize().stopCopyLength()).isEqualTo(1 << 20);
        assertThat(rig(VendorModel.HISI_ACC_VF).calls.dataSize().stopCopyLength()).isEqualTo(176);
        assertThat(rig(VendorModel.MTTY).calls.dataSize().stopCopyLength()).isEqualTo(60);
        Rig twoPorts = new Rig(V2DeviceConfig.builder(VendorModel.MTTY).mttyPorts(2).build());
        assertThat(twoPorts.calls.dataSize().stopCopyLength()).isEqualTo(96);
    }

    @Test
    void deviceInfoAndRegionInfoComeFromVfioPciCore() {
        Rig rig = rig(VendorModel.MLX5_VF);
        DeviceCalls.DeviceInfo info = rig.calls.info();
        assertThat(info.ret()).isZero();
        assertThat(info.numRegions()).isEqualTo(9);
        DeviceCalls.RegionInfo bar0 = rig.calls.regionInfo(0);
        assertThat(bar0.ret()).isZero();
        assertThat(bar0.size()).isEqualTo(1L << 21);
    }
}
