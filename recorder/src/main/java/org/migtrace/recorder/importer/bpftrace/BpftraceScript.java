package org.migtrace.recorder.importer.bpftrace;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.migtrace.uapi.FdKind;

/**
 * The capture script {@code migtrace-vfio.bt} (a resource of this package, also readable in the
 * source tree) and the command line that runs it. It follows one process's fds on VFIO's paths,
 * the device fds {@code VFIO_GROUP_GET_DEVICE_FD} returns and the data fds {@code MIG_DEVICE_STATE}
 * returns, and prints one JSON line per syscall on them (docs/recording-a-real-host.md).
 *
 * <p>A live capture adjusts it in two ways, both optional: the fds the process already holds are
 * put into the script's fd map at its start ({@link #text(Map, List)}), and the VMM's USDT trace
 * points found in its binary are appended as probes ({@link UsdtProbes}).
 */
public final class BpftraceScript {
    /** The script's file name. */
    public static final String NAME = "migtrace-vfio.bt";
    /** The version its start line reports ({@code "script":1}). */
    public static final int VERSION = 1;
    /** The most dirty-bitmap bytes the script copies per call (its loop bound: 512 chunks of 64 bytes). */
    public static final int MAX_BITMAP_BYTES = 32768;
    private static final String SEED_MARK = "// migtrace:seed";

    private BpftraceScript() {
    }

    /**
     * The paths the script recognizes.
     *
     * @param vfioDir   the VFIO directory: every path below it that is neither the container nor a cdev is a group
     * @param container the container's path
     * @param cdevDir   the device cdevs' directory
     * @param iommufd   the IOMMUFD path
     */
    public record Paths(String vfioDir, String container, String cdevDir, String iommufd) {
        /** {@code /dev/vfio/}, {@code /dev/vfio/vfio}, {@code /dev/vfio/devices/}, {@code /dev/iommu}. */
        public static Paths defaults() {
            return under("");
        }

        /** The same paths below {@code root} ({@code /tmp/x} gives {@code /tmp/x/dev/vfio/}...): for tests. */
        public static Paths under(String root) {
            String r = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
            return new Paths(r + "/dev/vfio/", r + "/dev/vfio/vfio", r + "/dev/vfio/devices/", r + "/dev/iommu");
        }

        /** The kind of file {@code path} (a path, or a {@code /proc/PID/fd} link) is, or null when none of VFIO's. */
        public FdKind kind(String path) {
            if (path.startsWith(cdevDir) || path.equals("anon_inode:[vfio-device]")) {
                return FdKind.DEVICE;
            }
            if (path.equals(container)) {
                return FdKind.CONTAINER;
            }
            if (path.startsWith(vfioDir)) {
                return FdKind.GROUP;
            }
            if (path.equals(iommufd)) {
                return FdKind.IOMMUFD;
            }
            if (path.startsWith("anon_inode:") && path.contains("mig")) {
                return FdKind.MIG_DATA; // mlx5vf_mig_file, hisi_acc_vf_mig, ...: the drivers' data files
            }
            return null;
        }
    }

    /** The script as shipped. */
    public static String text() {
        try (InputStream in = BpftraceScript.class.getResourceAsStream(NAME)) {
            if (in == null) {
                throw new IllegalStateException(NAME + " is missing from the recorder's resources");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The script with {@code openFds} in its fd map from the start (fds the process held before the
     * capture) and {@code extraProbes} (USDT probe blocks) appended.
     */
    public static String text(Map<Integer, BpftraceImport.OpenFd> openFds, List<String> extraProbes) {
        String text = text();
        StringBuilder seed = new StringBuilder(SEED_MARK);
        openFds.forEach((fd, open) -> seed.append("\n\t@fd[").append(fd).append("] = ").append(code(open.kind())).append(';'));
        text = text.replace(SEED_MARK, seed.toString());
        StringBuilder sb = new StringBuilder(text);
        for (String probe : extraProbes) {
            sb.append('\n').append(probe);
        }
        return sb.toString();
    }

    /** The script's code for a kind of fd ({@code @fd[fd] = code}); fds whose kind was not seen opened get +16 there. */
    public static int code(FdKind kind) {
        return switch (kind) {
            case CONTAINER -> 1;
            case GROUP -> 2;
            case DEVICE -> 3;
            case IOMMUFD -> 4;
            case MIG_DATA -> 5;
            case OTHER -> 0;
        };
    }

    /** The script's positional parameters: the pid, the paths (each with its length) and the bitmap limit. */
    public static List<String> arguments(int pid, Paths paths, int bitmapBytes) {
        if (bitmapBytes < 0 || bitmapBytes > MAX_BITMAP_BYTES) {
            throw new IllegalArgumentException("bitmap bytes " + bitmapBytes + " not in 0.." + MAX_BITMAP_BYTES);
        }
        List<String> args = new ArrayList<>();
        args.add(Integer.toString(pid));
        args.add(paths.vfioDir());
        args.add(Integer.toString(utf8(paths.vfioDir())));
        args.add(paths.container());
        args.add(Integer.toString(utf8(paths.container()) + 1));
        args.add(paths.cdevDir());
        args.add(Integer.toString(utf8(paths.cdevDir())));
        args.add(paths.iommufd());
        args.add(Integer.toString(utf8(paths.iommufd()) + 1));
        args.add(Integer.toString(bitmapBytes));
        return args;
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
