package org.migtrace.sim.run;

import java.util.ArrayList;
import java.util.List;
import org.migtrace.sim.DeviceStateEvent;
import org.migtrace.sim.MigrationEvent;
import org.migtrace.sim.SimObserver;
import org.migtrace.sim.Sys;
import org.migtrace.sim.SyscallEvent;
import org.migtrace.uapi.FdKind;
import org.migtrace.uapi.Ioctl;
import org.migtrace.uapi.Structs;

/** Records what a simulated migration did: its syscalls (decoded), device state changes and migration events. */
final class RunRecorder implements SimObserver {
    /**
     * One syscall: where, what, and for VFIO_DEVICE_FEATURE the feature index (-1 otherwise).
     *
     * @param ioctl the ioctl's uAPI name, or "" for other syscalls and unknown numbers
     */
    record Call(String host, String comm, Sys sys, FdKind fdKind, String ioctl, int feature, long ret) {
    }

    final List<Call> calls = new ArrayList<>();
    final List<DeviceStateEvent> states = new ArrayList<>();
    final List<MigrationEvent> migration = new ArrayList<>();
    private int pendingFeature = -1;

    @Override
    public void syscallEnter(SyscallEvent e) {
        pendingFeature = -1;
        if (e.sys() == Sys.IOCTL && e.fdKind() == FdKind.DEVICE && e.cmd() == Ioctl.VFIO_DEVICE_FEATURE.number()) {
            byte[] hdr = e.memory().copyFrom(e.arg(), Structs.VFIO_DEVICE_FEATURE.size());
            pendingFeature = hdr == null ? -1 : (int) (Structs.VFIO_DEVICE_FEATURE.field("flags").get(hdr, 0) & 0xFFFF);
        }
    }

    @Override
    public void syscallExit(SyscallEvent e, long ret) {
        String name = e.sys() == Sys.IOCTL ? Ioctl.lookup(e.fdKind(), e.cmd()).map(Enum::name).orElse("") : "";
        calls.add(new Call(e.host(), e.comm(), e.sys(), e.fdKind(), name, pendingFeature, ret));
    }

    @Override
    public void deviceState(DeviceStateEvent event) {
        states.add(event);
    }

    @Override
    public void migration(MigrationEvent event) {
        migration.add(event);
    }

    /** The ioctl calls named {@code ioctl} on {@code host}. */
    List<Call> ioctls(String host, String ioctl) {
        return calls.stream().filter(c -> c.host().equals(host) && c.ioctl().equals(ioctl)).toList();
    }

    /** The last v2 state each device of {@code host} entered, by the kernel's account. */
    int lastState(String host, String device) {
        int s = -1;
        for (DeviceStateEvent e : states) {
            if (e.host().equals(host) && e.device().equals(device)) {
                s = e.to();
            }
        }
        return s;
    }
}
