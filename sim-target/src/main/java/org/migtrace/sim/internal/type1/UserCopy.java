package org.migtrace.sim.internal.type1;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.migtrace.sim.mem.UserMemory;
import org.migtrace.uapi.Errno;

/**
 * Word-level {@code copy_to_user} / {@code copy_from_user} of bitmap words, with the kernel's
 * partial-copy behaviour: x86 {@code copy_to_user} writes every byte up to the first faulting one
 * and then reports the rest as not copied, so a bitmap running off the end of the user's buffer
 * still gets its head written before {@code -EFAULT}.
 */
final class UserCopy {
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** The word at index {@code i} of what is being copied out. */
    @FunctionalInterface
    interface Words {
        long at(int i);
    }

    private UserCopy() {
    }

    /**
     * Bytes from {@code addr} that a {@code copy_to_user} of {@code len} bytes reaches before it
     * faults: {@code len} when all of it is mapped, -1 when {@code access_ok} refuses the range
     * (nothing is copied then).
     */
    static long reachable(UserMemory mem, long addr, long len) {
        if (!UserMemory.accessOk(addr, len)) {
            return -1;
        }
        UserMemory.Region r = mem.regionAt(addr);
        if (r == null) {
            return 0;
        }
        return Math.min(len, r.end() - addr);
    }

    /**
     * Copies {@code n} words to {@code addr}: {@code words[i]} for {@code i} in {@code [lo, hi)},
     * zero elsewhere (the caller knows the words outside that range are zero).
     */
    static long copyWords(UserMemory mem, long addr, long[] words, int lo, int hi, int n) {
        long len = (long) n << 3;
        if (reachable(mem, addr, len) != len) {
            return partial(mem, addr, len, i -> i >= lo && i < hi ? words[i] : 0);
        }
        int a = Math.min(Math.max(lo, 0), n);
        int b = Math.max(a, Math.min(hi, n));
        mem.fillLongs(addr, 0, a);
        mem.writeLongs(addr + ((long) a << 3), words, a, b - a);
        mem.fillLongs(addr + ((long) b << 3), 0, n - b);
        return 0;
    }

    /** Copies {@code n} words to {@code addr}: all ones, except the last which is {@code lastWord}. */
    static long copyOnes(UserMemory mem, long addr, int n, long lastWord) {
        long len = (long) n << 3;
        if (reachable(mem, addr, len) != len) {
            return partial(mem, addr, len, i -> i == n - 1 ? lastWord : -1L);
        }
        mem.fillLongs(addr, -1L, n - 1L);
        mem.fillLongs(addr + ((long) (n - 1) << 3), lastWord, 1);
        return 0;
    }

    /** {@code copy_from_user} of one u64: the value in {@code out[0]}, or false on fault. */
    static boolean readWord(UserMemory mem, long addr, long[] out) {
        return UserMemory.accessOk(addr, 8) && mem.readLongs(addr, out, 0, 1);
    }

    /** The fault path: writes the reachable head of the copy, then reports {@code -EFAULT}. */
    private static long partial(UserMemory mem, long addr, long len, Words words) {
        long head = reachable(mem, addr, len);
        if (head > 0) {
            byte[] b = new byte[(int) ((head + 7) & ~7L)];
            for (int i = 0; i < b.length >>> 3; i++) {
                LONG.set(b, i << 3, words.at(i));
            }
            mem.write(addr, b, 0, (int) head);
        }
        return Errno.EFAULT.ret();
    }
}
