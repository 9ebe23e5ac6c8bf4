package org.migtrace.recorder.internal;

/**
 * How one ioctl's argument is decoded: the input at entry (before the kernel looks at it), the
 * output at exit (after the kernel wrote it back), both into the call's {@link CallArgs}.
 */
public interface IoctlCodec {
    /** Decodes the input; {@code arg} is the ioctl's argument (a pointer, or a value for a few ioctls). */
    void enter(UserBytes mem, long arg, CallArgs call);

    /** Decodes the output of a call that returned {@code ret}. */
    default void exit(UserBytes mem, long arg, long ret, CallArgs call) {
    }
}
