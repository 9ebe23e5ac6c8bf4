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
    void largeBitmapsAreWalkedInWindowsOfTwoMegabytesOfBitmap() {
        UserMemory m = new UserMemory();
        long pages = 3L * IovaBitmap.MAX_PINNED_PAGES * UserMemory.PAGE_SIZE * 8; // 3 windows of bits
        long data = m.malloc(pages / 8);
        List<long[]> windows = new ArrayList<>();
        IovaBitmap it = new IovaBitmap(m, 0, pages * 4096, 4096, data);
        it.forEach((b, iova, len) -> {
            windows.add(new long[] {iova, len});
            return 0;
        });
        long window = (long) IovaBitmap.MAX_PINNED_PAGES * UserMemory.PAGE_SIZE * 8 * 4096;
        assertThat(windows).containsExactly(new long[] {0, window}, new long[] {window, window},
                new long[] {2 * window, window});
    }

    @Test
    void bitsSetPastTheWindowAreWrittenWhenTheIteratorAdvances() {
        UserMemory m = new UserMemory();
        long bitsPerWindow = (long) IovaBitmap.MAX_PINNED_PAGES * UserMemory.PAGE_SIZE * 8;
        long buf = m.malloc(2 * bitsPerWindow / 8 + 4096);
        long data = buf + 8; // not page aligned: windows are one page short of 2 MiB of bitmap
        long bitsFirstWindow = bitsPerWindow - 64;
        IovaBitmap it = new IovaBitmap(m, 0, 2 * bitsPerWindow * 4096, 4096, data);
        int[] calls = {0};
        it.forEach((b, iova, len) -> {
            if (calls[0]++ == 0) {
                // a huge IOPTE straddling the end of the first window
                b.set((bitsFirstWindow - 2) * 4096, 4 * 4096L);
            }
            return 0;
        });
        for (long n = bitsFirstWindow - 2; n < bitsFirstWindow + 2; n++) {
            assertThat(bit(m, data, n)).as("bit %d", n).isTrue();
        }
        assertThat(bit(m, data, bitsFirstWindow + 2)).isFalse();
        assertThat(calls[0]).as("two full windows and the last 8 bytes").isEqualTo(3);
    }

    @Test
    void setAheadOnAPageAlignedBitmapFillsTheNextWindowAndEndsTheWalkAsTheKernelDoes() {
        // iova_bitmap_set_ahead() takes the window length before pinning; with the previous window
        // unpinned and pgoff 0 that length is 0, and iova_bitmap_set(.., 0) runs to the end of the
        // pinned pages. Kept as the kernel source has it (drivers/iommu/iommufd/iova_bitmap.c).
        UserMemory m = new UserMemory();
        long bitsPerWindow = (long) IovaBitmap.MAX_PINNED_PAGES * UserMemory.PAGE_SIZE * 8;
        long data = m.malloc(3 * bitsPerWindow / 8);
        IovaBitmap it = new IovaBitmap(m, 0, 3 * bitsPerWindow * 4096, 4096, data);
        int[] calls = {0};
        it.forEach((b, iova, len) -> {
            if (calls[0]++ == 0) {
                b.set((bitsPerWindow - 2) * 4096, 4 * 4096L);
            }
            return 0;
        });
        assertThat(bit(m, data, bitsPerWindow + 1)).isTrue();
        assertThat(bit(m, data, 2 * bitsPerWindow - 1)).as("whole second window").isTrue();
        assertThat(bit(m, data, 2 * bitsPerWindow)).isFalse();
        assertThat(calls[0]).as("the third window is never visited").isEqualTo(1);
    }

    @Test
    void anUnmappedBitmapFaults() {
        UserMemory m = new UserMemory();
        IovaBitmap it = new IovaBitmap(m, 0, 4096 * 64, 4096, 0x1000);
        assertThat(it.forEach((b, iova, len) -> 0)).isEqualTo(-14);
    }
}
