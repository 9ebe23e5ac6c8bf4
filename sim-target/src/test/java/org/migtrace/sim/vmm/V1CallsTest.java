package org.migtrace.sim.vmm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.migtrace.sim.DeviceStateEvent;
import org.migtrace.sim.SimClock;
import org.migtrace.sim.SimHost;
import org.migtrace.sim.SimObserver;
import org.migtrace.sim.SimThread;
import org.migtrace.sim.Sys;
import org.migtrace.sim.SyscallEvent;
import org.migtrace.sim.internal.kernel.KernelCtx;
import org.migtrace.sim.internal.pci.PciCore;
import org.migtrace.sim.internal.pci.VendorOps;
import org.migtrace.sim.internal.vendor.v1.V1Vendor;
import org.migtrace.sim.internal.vfio.VfioCore;
import org.migtrace.sim.internal.vfio.VfioDevice;
import org.migtrace.sim.internal.vfio.VfioDeviceFile;
import org.migtrace.sim.vendor.V1DeviceConfig;
import org.migtrace.sim.vendor.V1DeviceConfig.OnFailure;
import org.migtrace.sim.vendor.V1DeviceConfig.TransitionFault;
import org.migtrace.sim.vendor.V1Devices;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.V1State;

class V1CallsTest {
    private static final int MASK = V1State.MASK;
    private static final int RUNNING = V1State.RUNNING;
    private static final int SAVING = V1State.SAVING;
    private static final int RESUMING = V1State.RESUMING;

    private static final V1DeviceConfig CONFIG = V1DeviceConfig.builder()
            .stopCopyBytes(20_000).precopyInitialBytes(6_000).dirtyBytesPerSecond(2_000_000)
            .maxChunkBytes(4096).dataWindowBytes(8192).build();

    /** A host with one v1 device opened by a QEMU process; every syscall and state change is logged. */
    private static final class Side {
        final SimHost host;
        final VfioDevice device;
        final SimThread t;
        final int fd;
        final List<String> log;

        Side(String name, SimClock clock, V1DeviceConfig config, List<String> log) {
            this.log = log;
            host = new SimHost(name, clock);
            device = V1Devices.register(host, "0000:3b:00.1", 12, config);
            host.registerDevNode("/dev/test/dev0", ctx -> VfioDeviceFile.openViaGroup(ctx, device));
            host.addObserver(new SimObserver() {
                @Override
                public void syscallExit(SyscallEvent e, long ret) {
                    log.add(String.format("%s %d %s off=%x n=%d ret=%d", e.host(), e.tsNs(), e.sys(), e.offset(),
                            e.count(), ret));
                }

                @Override
                public void deviceState(DeviceStateEvent e) {
                    log.add(e.toString());
                }
            });
            t = host.spawn("qemu", 100).mainThread();
            fd = (int) t.open("/dev/test/dev0");
        }
    }

    /** QEMU's v1 flow: setup, two pre-copy iterations, stop-and-copy, load on the destination. */
    private static List<byte[]> migrate(Side src, Side dst, V1Calls.Qemu version) {
        V1Calls s = new V1Calls(src.t, src.fd, version);
        V1Calls d = new V1Calls(dst.t, dst.fd, version);
        assertThat(s.findMigrationRegion()).isZero();
        assertThat(d.findMigrationRegion()).isZero();
        List<byte[]> stream = new ArrayList<>();

        assertThat(s.setState(MASK, SAVING).deviceState()).as("vfio_save_setup").isEqualTo(RUNNING | SAVING);
        for (int iter = 0; iter < 2; iter++) {
            s.updatePending();
            V1Calls.SaveRound round = s.saveBuffer();
            assertThat(round.ret()).isZero();
            stream.add(round.data());
            src.host.clock().advance(1_000_000);
        }
        assertThat(s.setState(~RUNNING, SAVING).deviceState()).as("vfio_save_complete_precopy").isEqualTo(SAVING);
        s.updatePending();
        while (s.cachedPendingBytes() > 0) {
            V1Calls.SaveRound round = s.saveBuffer();
            assertThat(round.ret()).isZero();
            stream.add(round.data());
            if (round.dataSize() == 0) {
                break;
            }
            s.updatePending();
        }
        assertThat(s.setState(~SAVING, 0).ret()).isZero();

        assertThat(d.setState(~MASK, RESUMING).deviceState()).as("vfio_load_setup").isEqualTo(RESUMING);
        for (byte[] chunk : stream) {
            assertThat(d.loadBuffer(chunk)).isZero();
        }
        assertThat(d.setState(~RESUMING, RUNNING).deviceState()).as("vfio_vmstate_change").isEqualTo(RUNNING);
        return stream;
    }

    private static long total(List<byte[]> stream) {
        return stream.stream().mapToLong(b -> b.length).sum();
    }

    @Test
    void liveMigrationMovesPrecopyAndStopCopyBytesToTheDestination() {
        SimClock clock = new SimClock();
        List<String> log = new ArrayList<>();
        Side src = new Side("src", clock, CONFIG, log);
        Side dst = new Side("dst", clock, CONFIG, log);
        List<byte[]> stream = migrate(src, dst, V1Calls.Qemu.V6_0_TO_7_0);
        assertThat(stream.get(0)).hasSize(4096);
        assertThat(total(stream.subList(2, stream.size()))).isEqualTo(20_000);
        long resumed = ((V1Vendor) ((PciCore) dst.device.driver()).vendor())
                .resumedBytes();
        assertThat(resumed).isEqualTo(total(stream));
        assertThat(src.device.driver().dmaAllowed()).isFalse();
        assertThat(dst.device.driver().dmaAllowed()).isTrue();
    }

    @Test
    void qemu6SplitsTrappedDataAccessesIntoEightBytePiecesAndQemu52DoesNot() {
        for (V1Calls.Qemu version : V1Calls.Qemu.values()) {
            SimClock clock = new SimClock();
            List<Long> dataCounts = new ArrayList<>();
            Side src = new Side("src", clock, CONFIG, new ArrayList<>());
            src.host.addObserver(new SimObserver() {
                @Override
                public void syscallExit(SyscallEvent e, long ret) {
                    if (e.sys() == Sys.PREAD64 && (e.offset() & 0xFFFF) >= CONFIG.dataOffset()) {
                        dataCounts.add(e.count());
                    }
                }
            });
            V1Calls s = new V1Calls(src.t, src.fd, version);
            s.findMigrationRegion();
            s.setState(~RUNNING, SAVING);
            s.updatePending();
            assertThat(s.saveBuffer().data()).hasSize(4096);
            if (version == V1Calls.Qemu.V5_2) {
                assertThat(dataCounts).containsExactly(4096L);
            } else {
                assertThat(dataCounts).hasSize(512).containsOnly(8L);
            }
        }
    }

    @Test
    void mmappedDataWindowIsReadWithoutSyscalls() {
        V1DeviceConfig mmap = CONFIG.toBuilder().mmapData(true).build();
        List<Long> dataCounts = new ArrayList<>();
        Side src = new Side("src", new SimClock(), mmap, new ArrayList<>());
        src.host.addObserver(new SimObserver() {
            @Override
            public void syscallExit(SyscallEvent e, long ret) {
                if (e.sys() == Sys.PREAD64 && (e.offset() & 0xFFFF) >= mmap.dataOffset()) {
                    dataCounts.add(e.count());
                }
            }
        });
        V1Calls s = new V1Calls(src.t, src.fd);
        s.findMigrationRegion();
        assertThat(s.mmapRegion()).isZero();
        s.setState(~RUNNING, SAVING);
        s.updatePending();
        V1Calls.SaveRound round = s.saveBuffer();
        assertThat(round.dataSize()).isEqualTo(4096);
        assertThat(dataCounts).isEmpty();
    }

    @Test
    void loadSplitsAChunkThatDoesNotFitTheDestinationRegion() {
        SimClock clock = new SimClock();
        Side dst = new Side("dst", clock, CONFIG.toBuilder().dataWindowBytes(1024).validateResume(false).build(),
                new ArrayList<>());
        V1Calls d = new V1Calls(dst.t, dst.fd);
        d.findMigrationRegion();
        d.setState(~MASK, RESUMING);
        assertThat(d.loadBuffer(new byte[4096])).isZero();
        var vendor = (V1Vendor) ((PciCore) dst.device.driver()).vendor();
        assertThat(vendor.resumedBytes()).isEqualTo(4096);
    }

    @Test
    void invalidCombinationIsRefusedInQemuWithoutTouchingTheDevice() {
        List<String> log = new ArrayList<>();
        Side src = new Side("src", new SimClock(), CONFIG, log);
        V1Calls s = new V1Calls(src.t, src.fd);
        s.findMigrationRegion();
        log.clear();
        V1Calls.SetStateResult r = s.setState(MASK, RESUMING);
        assertThat(r.ret()).isEqualTo(Errno.EINVAL.ret());
        assertThat(log).hasSize(1).allMatch(l -> l.contains("PREAD64"));
    }

    @Test
    void failedWriteIsJudgedByTheReReadState() {
        TransitionFault fault = new TransitionFault(RUNNING | SAVING, SAVING, Errno.EIO);
        V1DeviceConfig keep = CONFIG.toBuilder().faults(List.of(fault)).build();
        V1DeviceConfig error = keep.toBuilder().onFailure(OnFailure.ERROR_STATE).build();

        assertThat(stopCopyAfterPrecopy(keep, V1Calls.Qemu.V6_0_TO_7_0))
                .isEqualTo(new V1Calls.SetStateResult(Errno.EIO.ret(), RUNNING | SAVING, false));
        assertThat(stopCopyAfterPrecopy(error, V1Calls.Qemu.V6_0_TO_7_0))
                .as("hw_error: the device reports its error state")
                .isEqualTo(new V1Calls.SetStateResult(Errno.EIO.ret(), 6, true));
        assertThat(stopCopyAfterPrecopy(keep, V1Calls.Qemu.V5_2))
                .as("QEMU 5.2 takes the re-read state as success")
                .isEqualTo(new V1Calls.SetStateResult(0, RUNNING | SAVING, false));
        assertThat(stopCopyAfterPrecopy(error, V1Calls.Qemu.V5_2))
                .isEqualTo(new V1Calls.SetStateResult(Errno.EFAULT.ret(), 6, false));
    }

    private static V1Calls.SetStateResult stopCopyAfterPrecopy(V1DeviceConfig config, V1Calls.Qemu version) {
        Side src = new Side("src", new SimClock(), config, new ArrayList<>());
        V1Calls s = new V1Calls(src.t, src.fd, version);
        s.findMigrationRegion();
        s.setState(MASK, SAVING);
        return s.setState(~RUNNING, SAVING);
    }

    @Test
    void deviceWithoutMigrationRegionIsNotMigratable() {
        SimHost host = new SimHost("h", new SimClock());
        VfioDevice dev = VfioCore.of(host).register("0000:00:01.0", 1, new PciCore(new VendorOps() {
            @Override
            public String model() {
                return "plain";
            }

            @Override
            public boolean dmaAllowed() {
                return true;
            }

            @Override
            public void resetDone(KernelCtx ctx) {
            }
        }, 4096));
        host.registerDevNode("/dev/test/dev0", ctx -> VfioDeviceFile.openViaGroup(ctx, dev));
        SimThread t = host.spawn("qemu", 1).mainThread();
        int fd = (int) t.open("/dev/test/dev0");
        assertThat(new V1Calls(t, fd).findMigrationRegion()).isEqualTo(Errno.ENODEV.ret());
    }

    @Test
    void identicalRunsProduceIdenticalTraces() {
        assertThat(run()).isEqualTo(run());
    }

    private static List<String> run() {
        SimClock clock = new SimClock();
        List<String> log = new ArrayList<>();
        migrate(new Side("src", clock, CONFIG, log), new Side("dst", clock, CONFIG, log), V1Calls.Qemu.V6_0_TO_7_0);
        return log;
    }
}
