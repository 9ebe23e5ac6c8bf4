package org.migtrace.recorder.importer.bpftrace.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.migtrace.uapi.FdKind;

/**
 * The object behind each fd of the traced process, named as the simulated kernel names it, so that
 * a real host's trace reads like a simulated one: {@code group45} for {@code /dev/vfio/45},
 * {@code container0}, {@code container1}... in the order they were opened, {@code iommufd0}...,
 * a device fd by its device's name ({@code VFIO_GROUP_GET_DEVICE_FD}'s argument, or what a cdev
 * resolves to), a migration data fd as {@code <device>/mig-save-N} or {@code <device>/mig-resume-N}
 * (N counting the device's data sessions). An fd whose opening the capture did not see is named by
 * what is known: {@code device@fd12} for a device.
 *
 * <p>Bounded by the fds the process holds.
 */
public final class FdNames {
    private final Map<Integer, String> names = new HashMap<>();
    private final Map<String, Integer> sessions = new HashMap<>();
    private final UnaryOperator<String> cdevName;
    private int containers;
    private int iommufds;

    /** @param cdevName the device name of a device cdev path ({@code /dev/vfio/devices/vfio0}) */
    public FdNames(UnaryOperator<String> cdevName) {
        this.cdevName = cdevName;
    }

    /** An fd was opened at {@code path} and is of {@code kind}. */
    public void opened(int fd, FdKind kind, String path) {
        String name = switch (kind) {
            case CONTAINER -> "container" + containers++;
            case IOMMUFD -> "iommufd" + iommufds++;
            case GROUP -> "group" + basename(path);
            case DEVICE -> cdevName.apply(path);
            default -> path;
        };
        names.put(fd, name);
    }

    /** {@code VFIO_GROUP_GET_DEVICE_FD} returned {@code fd} for the device {@code name}. */
    public void device(int fd, String name) {
        if (name != null) {
            names.put(fd, name);
        } else {
            names.remove(fd);
        }
    }

    /** {@code MIG_DEVICE_STATE} SET returned a data fd for {@code device} entering {@code state}. */
    public void dataFd(int fd, String device, String state) {
        String dev = device == null ? "device" : device;
        int n = sessions.merge(dev, 1, Integer::sum);
        names.put(fd, dev + ("RESUMING".equals(state) ? "/mig-resume-" : "/mig-save-") + n);
    }

    /** The fd was closed. */
    public void closed(int fd) {
        names.remove(fd);
    }

    /** The object behind {@code fd} of {@code kind}; a stand-in for device fds of unknown name; null otherwise. */
    public String name(int fd, FdKind kind) {
        String n = names.get(fd);
        if (n == null && kind == FdKind.DEVICE) {
            return "device@fd" + fd;
        }
        return n;
    }

    /** The last path component: {@code 45} of {@code /dev/vfio/45}. */
    public static String basename(String path) {
        if (path == null) {
            return "";
        }
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }
}
