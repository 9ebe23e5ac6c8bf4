package org.migtrace.sim.internal.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.migtrace.sim.mem.UserMemory;
import org.junit.jupiter.api.Test;

class IovaBitmapTest {

    static boolean bit(UserMemory m, long base, long n) {
        byte[] b = m.copyFrom(base + n / 8, 1);
        return (b[0] & (1 << (n % 8))) != 0;
    }

    static final long BITS_PER_WINDOW = (long) IovaBitmap.MAX_PINNED_PAGES * UserMemory.PAGE_SIZE * 8;

    @Test
    void setMarksTheBitOfEveryPageTheRangeTouches() {
        UserMemory m = new UserMemory();
        long data = m.malloc(64);
        IovaBitmap it = new IovaBitmap(m, 0x100000, 64 * 4096L, 4096, data);
        long ret = it.forEach((b, iova, len) -> {
            b.set(0x100000 + 3 * 4096, 2 * 4096);
            return 0;
        });
        assertThat(ret).isZero();
        assertThat(bit(m, data, 2)).isFalse();
        assertThat(bit(m, data, 3)).isTrue();
        assertThat(bit(m, data, 4)).isTrue();
        assertThat(bit(m, data, 5)).isFalse();
    }

    @Test
    void theReporterSeesTheWholeRangeOnce() {
        UserMemory m = new UserMemory();
        long pages = 3 * BITS_PER_WINDOW;
        long data = m.malloc(pages / 8);
        List<long[]> calls = new ArrayList<>();
        new IovaBitmap(m, 0x1000, pages * 4096, 4096, data).forEach((b, iova, len) -> {
            calls.add(new long[] {iova, len});
            return 0;
        });
        assertThat(calls).containsExactly(new long[] {0x1000, pages * 4096});
    }

    @Test
    void unalignedUserBitmapsLandAtTheirByteOffset() {
        UserMemory m = new UserMemory();
        long buf = m.malloc(8192);
        long data = buf + 0xFF1; // the selftests use odd offsets like this
        IovaBitmap it = new IovaBitmap(m, 0, 1024 * 4096L, 4096, data);
        it.forEach((b, iova, len) -> {
            b.set(0, 4096);
            b.set(1023 * 4096L, 4096);
            return 0;
        });
        assertThat(bit(m, data, 0)).isTrue();
        assertThat(bit(m, data, 1023)).isTrue();
        assertThat(m.copyFrom(buf, 0xFF1)).containsOnly(0);
    }

    @Test
    void aRangeStraddlingTwoPinnedWindowsSetsEveryBit() {
        UserMemory m = new UserMemory();
        long buf = m.malloc(2 * BITS_PER_WINDOW / 8 + 4096);
        long data = buf + 8; // not page aligned: the first window is 64 bits short
        long edge = BITS_PER_WINDOW - 64;
        IovaBitmap it = new IovaBitmap(m, 0, 2 * BITS_PER_WINDOW * 4096, 4096, data);
        long stop = it.set((edge - 2) * 4096, 4 * 4096L);
        assertThat(stop).isEqualTo((edge + 2) * 4096);
        for (long n = edge - 3; n < edge + 3; n++) {
            assertThat(bit(m, data, n)).as("bit %d", n).isEqualTo(n >= edge - 2 && n < edge + 2);
        }
    }

    @Test
    void anUnmappedBitmapDropsTheBitsSilently() {
        UserMemory m = new UserMemory();
        IovaBitmap it = new IovaBitmap(m, 0, 4096 * 64, 4096, 0x1000);
        assertThat(it.forEach((b, iova, len) -> {
            assertThat(b.set(0, 4096)).as("stopped at the first IOVA").isEqualTo(0);
            return 0;
        })).isZero();
    }
}
