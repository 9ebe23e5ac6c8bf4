package org.migtrace.sim.internal.vendor;

import org.migtrace.sim.internal.kernel.KernelCtx;
import org.migtrace.uapi.Errno;

/**
 * The destination side of {@link RecordFormat}: takes a stream in arbitrary write segments, as the
 * uAPI allows ("the user must preserve byte order but not segmentation"), the way mlx5's
 * {@code mlx5vf_resume_write} does: accumulate a header, check it, count the payload, "load" the
 * record when it is complete. Header bytes are copied from user memory; payload bytes are only
 * checked to be readable (their content is not modelled).
 *
 * <p>Checks, with the errno each driver model gives them ({@link Policy}): wrong magic, an unknown
 * tag, a size record of the wrong length, or data after the final record ({@code badHeader}); a
 * record longer than the device can load ({@code tooLong}); a model id that is not this device's
 * ({@code wrongModel}, at header time or when the record is loaded). The first error breaks the
 * stream for good.
 */
final class RecordParser {

    /**
     * What a driver model returns for each kind of bad stream.
     *
     * @param badHeader          malformed header
     * @param tooLong            record longer than {@code maxRecord}
     * @param maxRecord          the longest record the device loads
     * @param wrongModel         another device model's image
     * @param modelCheckedAtLoad true: the model id is checked when the record's payload is complete
     *                           (firmware rejects the image at LOAD); false: as soon as the header is
     */
    record Policy(Errno badHeader, Errno tooLong, long maxRecord, Errno wrongModel, boolean modelCheckedAtLoad) {
    }

    private final int modelId;
    private final Policy policy;
    private final byte[] header = new byte[RecordFormat.HEADER_SIZE];
    private int headerFill;
    private boolean inPayload;
    private long payloadLeft;
    private long recordModel;
    private int tag;
    private int flags;
    private boolean sawLast;
    private boolean broken;

    RecordParser(int modelId, Policy policy) {
        this.modelId = modelId;
        this.policy = policy;
    }

    /** A stream error happened: nothing more is accepted. */
    boolean broken() {
        return broken;
    }

    /** The final record arrived whole and nothing is pending. */
    boolean complete() {
        return !broken && sawLast && !inPayload && headerFill == 0;
    }

    /**
     * Takes {@code n} bytes from user address {@code buf}: {@code n}, or {@code -errno} (EFAULT for
     * a fault, the policy's errno for a bad stream, which also breaks it).
     */
    long consume(KernelCtx ctx, long buf, long n) {
        long done = 0;
        while (done < n) {
            long r = inPayload ? payload(ctx, buf + done, n - done) : header(ctx, buf + done, n - done);
            if (r < 0) {
                return r;
            }
            done += r;
        }
        return n;
    }

    private long header(KernelCtx ctx, long addr, long avail) {
        int take = (int) Math.min(avail, header.length - headerFill);
        byte[] b = ctx.copyFromUser(addr, take);
        if (b == null) {
            return Errno.EFAULT.ret();
        }
        System.arraycopy(b, 0, header, headerFill, take);
        headerFill += take;
        if (headerFill < header.length) {
            return take;
        }
        long err = acceptHeader();
        if (err < 0) {
            return fail(err);
        }
        inPayload = true;
        if (payloadLeft == 0) {
            err = load();
            if (err < 0) {
                return fail(err);
            }
        }
        return take;
    }

    private long acceptHeader() {
        var f = RecordFormat.RECORD;
        long magic = f.field("magic").get(header, 0);
        tag = (int) f.field("tag").get(header, 0);
        flags = (int) f.field("flags").get(header, 0);
        recordModel = f.field("model_id").get(header, 0);
        payloadLeft = f.field("length").get(header, 0);
        boolean tagOk = tag == RecordFormat.TAG_SIZE || tag == RecordFormat.TAG_FULL
                || tag == RecordFormat.TAG_INCREMENTAL;
        if (magic != RecordFormat.MAGIC || !tagOk || sawLast
                || (tag == RecordFormat.TAG_SIZE && payloadLeft != RecordFormat.SIZE_PAYLOAD)) {
            return policy.badHeader().ret();
        }
        if (Long.compareUnsigned(payloadLeft, policy.maxRecord()) > 0) {
            return policy.tooLong().ret();
        }
        if (!policy.modelCheckedAtLoad() && recordModel != modelId) {
            return policy.wrongModel().ret();
        }
        return 0;
    }

    private long payload(KernelCtx ctx, long addr, long avail) {
        long take = Math.min(avail, payloadLeft);
        // a size record is copied in (its value is not checked: mlx5 never checks completeness);
        // image payload goes to the device without being modelled, but must be readable all the same
        if (tag == RecordFormat.TAG_SIZE ? ctx.copyFromUser(addr, (int) take) == null
                : !UserRange.mapped(ctx.mem(), addr, take)) {
            return Errno.EFAULT.ret();
        }
        payloadLeft -= take;
        if (payloadLeft == 0) {
            long err = load();
            if (err < 0) {
                return fail(err);
            }
        }
        return take;
    }

    /** The record is complete: load it into the device. */
    private long load() {
        if (policy.modelCheckedAtLoad() && recordModel != modelId) {
            return policy.wrongModel().ret();
        }
        if ((flags & RecordFormat.FLAG_LAST) != 0) {
            sawLast = true;
        }
        inPayload = false;
        headerFill = 0;
        return 0;
    }

    private long fail(long err) {
        broken = true;
        return err;
    }
}
