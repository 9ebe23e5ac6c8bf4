package org.migtrace.replay.variant;

import java.util.List;
import org.migtrace.replay.spi.Outcome;
import org.migtrace.replay.spi.ReplayTarget;
import org.migtrace.replay.spi.Stimulus;
import org.migtrace.trace.RecordedEvent;
import org.migtrace.uapi.DeviceFeature;
import org.migtrace.uapi.Ioctl;
import org.migtrace.uapi.MigState;

/**
 * A reset that silently changes the migration state (libvfio-user #853): the device's reset handler
 * put the migration state back to RUNNING and dropped the captured data, so a reset during pre-copy
 * left the VMM believing the device was still in PRE_COPY. QEMU's next arc then started from the
 * wrong state; with libvfio-user's one-step table it was refused and the migration aborted. The fix
 * (libvfio-user PR #854) keeps the migration state on reset and only discards the captured data.
 *
 * <p>On the reference this shows where the kernel driver keeps the state across
 * {@code VFIO_DEVICE_RESET}: hisi_acc ({@code hisi_acc_vf_pci_aer_reset_done} returns early unless
 * the migration flags are exactly STOP_COPY, so a PRE_COPY-capable VF stays in PRE_COPY with its
 * file open). mlx5 and mtty already go to RUNNING on a reset ({@code *_state_mutex_unlock}'s
 * deferred reset, which {@code vfio.h} allows: "outside of manipulation by the user or the
 * VFIO_DEVICE_RESET ioctl"), and a v1 device does as the v1 RFC asks; there the variant is the
 * reference. The variant walks the device to RUNNING with a {@code MIG_DEVICE_STATE} SET on the
 * reference, which disables the data files as the bug's reset did, and reports the walk as one reset
 * arc. A device in RESUMING is left alone: the only way out of it in the model loads the data.
 */
public final class ResetChangesState extends Variant {
    /** States a reset takes back to RUNNING here: every one but RUNNING, ERROR and RESUMING. */
    private static final List<String> CLOBBERED = List.of("STOP", "RUNNING_P2P", "PRE_COPY", "PRE_COPY_P2P",
            "STOP_COPY");

    @Override
    public String name() {
        return "reset-changes-state";
    }

    @Override
    public String description() {
        return "VFIO_DEVICE_RESET puts every device back to RUNNING, hisi_acc in PRE_COPY too (libvfio-user #853)";
    }

    @Override
    public String bug() {
        return "libvfio-user #853 (fixed by PR #854)";
    }

    @Override
    protected Behaviour behaviour() {
        DeviceStates states = new DeviceStates();
        return (s, ref) -> {
            Outcome o = ref.apply(s);
            RecordedEvent e = s.event();
            String before = states.of(e);
            if (s.isSyscall() && Ioctl.VFIO_DEVICE_RESET.name().equals(e.op()) && o.ret() != null && o.ret() == 0
                    && o.states().isEmpty() && CLOBBERED.contains(before)
                    && toRunning(e, ref)) {
                o = new Outcome(o.ret(), List.of(before + ">RUNNING"), o.bitmap(), o.values());
            }
            states.follow(s, o);
            return o;
        };
    }

    /** A {@code MIG_DEVICE_STATE} SET RUNNING on the reset's device fd, made on the reference; whether it succeeded. */
    private static boolean toRunning(RecordedEvent reset, ReplayTarget ref) {
        long flags = DeviceFeature.SET | DeviceFeature.MIG_DEVICE_STATE.index();
        String args = "{\"in\":{\"argsz\":16,\"flags\":" + flags + ",\"data\":{\"device_state\":"
                + MigState.RUNNING.value() + ",\"data_fd\":-1}}}";
        RecordedEvent set = new RecordedEvent(reset.seq(), reset.tsNs(), reset.host(), reset.pid(), reset.tid(),
                reset.thread(), reset.actor(), reset.kind(), Ioctl.VFIO_DEVICE_FEATURE.name(),
                Ioctl.VFIO_DEVICE_FEATURE.number(), reset.fd(), reset.fdKind(), reset.object(), reset.device(),
                DeviceFeature.MIG_DEVICE_STATE.name(), "SET", flags, 16L, null, null, null, null,
                MigState.RUNNING.name(), null, null, null, null, null, null, null, null, null, null, null, null, args);
        return Long.valueOf(0).equals(ref.apply(new Stimulus(set, List.of())).ret());
    }
}
