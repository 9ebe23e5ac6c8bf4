package org.migtrace.recorder.importer.bpftrace;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.migtrace.uapi.FdKind;

/**
 * The capture script {@code migtrace-vfio.bt} (a resource of this package, also readable in the
 * source tree) and the command line that runs it. It follows one process's fds on VFIO's paths,
 * the device fds {@code VFIO_GROUP_GET_DEVICE_FD} returns and the data fds {@code MIG_DEVICE_STATE}
 * returns, and prints one JSON line per syscall on them (docs/recording-a-real-host.md).
 *
 * <p>A live capture adjusts it in three ways, all optional: the fds the process already holds are
 * put into the script's fd map at its start, the VFIO paths may be others (tests use a directory of
 * regular files), and the VMM's USDT trace points found in its binary are appended as probes
 * ({@link UsdtProbes}): {@link #text(Paths, Map, List)}.
 */
public final class BpftraceScript {
    /** The script's file name. */
    public static final String NAME = "migtrace-vfio.bt";
    /** The version its start line reports ({@code "script":1}). */
    public static final int VERSION = 1;
    /** The most dirty-bitmap bytes the script copies per call (its loop bound: 512 chunks of 64 bytes). */
    public static final int MAX_BITMAP_BYTES = 32768;
    private static final String SEED_MARK = "// migtrace:seed";
    /** The longest root {@link Paths#under} takes (bpftrace 0.17 loads the script with 9 bytes, not with 10). */
    public static final int MAX_ROOT = 8;

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

        /**
         * The same paths below {@code root} ({@code /tmp/x} gives {@code /tmp/x/dev/vfio/}...): for tests.
         * At most {@link #MAX_ROOT} bytes: bpftrace 0.17 unrolls the openat probe's {@code strncmp} a byte at a
         * time, and each byte past the default paths doubles what the verifier walks (9 bytes more take half
         * of its budget of a million instructions).
         */
        public static Paths under(String root) {
            String r = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
            if (utf8(r) > MAX_ROOT) {
                throw new IllegalArgumentException("a root for the VFIO paths of at most " + MAX_ROOT + " bytes: " + root);
            }
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
     * capture), the VFIO paths of {@code paths} in its openat probe, and {@code extraProbes} (USDT probe
     * blocks) appended.
     */
    public static String text(Paths paths, Map<Integer, BpftraceImport.OpenFd> openFds, List<String> extraProbes) {
        Paths d = Paths.defaults();
        String text = text()
                .replace(literal(d.vfioDir(), false), literal(paths.vfioDir(), false))
                .replace(literal(d.cdevDir(), false), literal(paths.cdevDir(), false))
                .replace(literal(d.container(), true), literal(paths.container(), true))
                .replace(literal(d.iommufd(), true), literal(paths.iommufd(), true));
        StringBuilder seed = new StringBuilder(SEED_MARK);
        new java.util.TreeMap<>(openFds).forEach((fd, open) -> seed.append("\n\t@fd[").append(fd).append("] = ").append(code(open.kind())).append(';'));
        text = text.replace(SEED_MARK, seed.toString());
        StringBuilder sb = new StringBuilder(text);
        for (String probe : extraProbes) {
            sb.append('\n').append(probe);
        }
        return sb.toString();
    }

    /** {@code "path", length} as the openat probe's strncmp has it (length + 1 for an exact match). */
    private static String literal(String path, boolean exact) {
        if (path.indexOf('"') >= 0 || path.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("a path with a quote or backslash: " + path);
        }
        return "\"" + path + "\", " + (utf8(path) + (exact ? 1 : 0)) + ")";
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

    /** The script's positional parameters: the pid and the dirty-bitmap bytes to capture per call. */
    public static List<String> arguments(int pid, int bitmapBytes) {
        if (bitmapBytes < 0 || bitmapBytes > MAX_BITMAP_BYTES) {
            throw new IllegalArgumentException("bitmap bytes " + bitmapBytes + " not in 0.." + MAX_BITMAP_BYTES);
        }
        return List.of(Integer.toString(pid), Integer.toString(bitmapBytes));
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
