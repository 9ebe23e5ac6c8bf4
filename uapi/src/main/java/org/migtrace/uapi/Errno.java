package org.migtrace.uapi;

import java.util.Optional;

/**
 * Linux errno values (x86_64, {@code include/uapi/asm-generic/errno-base.h} and {@code errno.h})
 * that the VFIO and IOMMUFD paths return. The kernel returns {@code -errno} from a syscall; the
 * simulated stack does the same, so {@link #ofReturn(long)} turns a raw return value back into a
 * name.
 */
public enum Errno {
    EPERM(1),
    ENOENT(2),
    ESRCH(3),
    EINTR(4),
    EIO(5),
    ENXIO(6),
    E2BIG(7),
    EBADF(9),
    EAGAIN(11),
    ENOMEM(12),
    EACCES(13),
    EFAULT(14),
    EBUSY(16),
    EEXIST(17),
    ENODEV(19),
    EINVAL(22),
    ENFILE(23),
    EMFILE(24),
    ENOTTY(25),
    EFBIG(27),
    ENOSPC(28),
    ESPIPE(29),
    EPIPE(32),
    ERANGE(34),
    ENOMSG(42),
    ENODATA(61),
    EOVERFLOW(75),
    /** File descriptor in bad state: {@code iommufd_ctx_from_fd} on a file that is not {@code /dev/iommu}; {@code VFIO_GROUP_SET_CONTAINER} with an fd that is neither a container nor an iommufd. */
    EBADFD(77),
    EMSGSIZE(90),
    EOPNOTSUPP(95),
    EADDRINUSE(98),
    ETIMEDOUT(110),
    /** A device's firmware refused a command (mlx5 {@code mlx5_cmd_check} turns a bad command status into it). */
    EREMOTEIO(121);

    private static final Errno[] BY_NUMBER = new Errno[128];

    static {
        for (Errno e : values()) {
            BY_NUMBER[e.number] = e;
        }
    }

    private final int number;

    Errno(int number) {
        this.number = number;
    }

    /** The positive errno number. */
    public int number() {
        return number;
    }

    /** The raw syscall return value for this error: {@code -number}. */
    public long ret() {
        return -number;
    }

    /** The errno with this positive number, if it is one migtrace names. */
    public static Optional<Errno> of(int number) {
        return number > 0 && number < BY_NUMBER.length ? Optional.ofNullable(BY_NUMBER[number]) : Optional.empty();
    }

    /**
     * The errno encoded in a raw syscall return value ({@code -4095 .. -1}); empty for success
     * or for an error number migtrace does not name.
     */
    public static Optional<Errno> ofReturn(long ret) {
        return ret < 0 && ret >= -4095 ? of((int) -ret) : Optional.empty();
    }

    /** {@code "EINVAL"} for -22, {@code "errno 200"} for an unnamed one, {@code ""} for success. */
    public static String describe(long ret) {
        if (ret >= 0 || ret < -4095) {
            return "";
        }
        Errno e = BY_NUMBER[(int) -ret < BY_NUMBER.length ? (int) -ret : 0]; // a failed call's row: no Optional, no text built
        return e != null ? e.name() : "errno " + -ret;
    }
}
