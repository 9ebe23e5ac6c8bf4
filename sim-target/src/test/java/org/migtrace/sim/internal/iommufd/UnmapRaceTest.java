package org.migtrace.sim.internal.iommufd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.migtrace.sim.mem.Bitmap;

/**
 * IOMMUFD has no unmap-with-bitmap: IOAS_UNMAP throws the area's IOPTEs, and their dirty bits,
 * away. A device write that lands after the last dirty read and before the unmap is in guest
 * memory but in no bitmap, ever.
 */
class UnmapRaceTest {
    static final long IOVA = 1L << 32;
    static final long LEN = 64 * 4096L;

    final Fixture f = new Fixture().bound();
    long ram;
    Bitmap writeLog;
    long hwpt;

    void start() {
        ram = f.ram(LEN);
        writeLog = f.mem.trackWrites(ram);
        f.calls.ioasMap(f.iommufd, f.ioas, ram, LEN, IOVA, null);
        hwpt = f.dirtyHwptAttached();
        f.calls.setDirtyTracking(f.iommufd, hwpt, true);
    }

    long read(boolean noClear) {
        long data = f.bitmap(LEN, 4096, 0);
        assertThat(f.calls.getDirtyBitmap(f.iommufd, hwpt, IOVA, LEN, 4096, data, noClear)).isZero();
        return data;
    }

    @Test
    void aWriteBetweenTheLastReadAndUnmapIsInMemoryButInNoBitmap() {
        start();
        f.dma(IOVA + 3 * 4096, 64);
        long first = read(false);
        assertThat(f.calls.bit(first, 3)).isTrue();

        f.dma(IOVA + 9 * 4096, 64); // the racing write
        long[] unmapped = new long[1];
        assertThat(f.calls.ioasUnmap(f.iommufd, f.ioas, IOVA, LEN, unmapped)).isZero();

        assertThat(writeLog.get(9)).isTrue();
        assertThat(f.calls.bit(first, 9)).isFalse();
        long after = read(false);
        assertThat(f.calls.countBits(after, 64)).isZero();
    }

    @Test
    void aNoClearReadRightBeforeUnmapNarrowsTheWindowButDoesNotCloseIt() {
        start();
        f.dma(IOVA + 3 * 4096, 64);
        read(false);
        f.dma(IOVA + 5 * 4096, 64); // caught by the final NO_CLEAR read
        long last = read(true);
        assertThat(f.calls.bit(last, 5)).isTrue();

        f.dma(IOVA + 7 * 4096, 64); // after the final read: lost
        assertThat(f.calls.ioasUnmap(f.iommufd, f.ioas, IOVA, LEN, new long[1])).isZero();

        assertThat(writeLog.get(7)).isTrue();
        assertThat(f.calls.bit(last, 7)).isFalse();
        assertThat(f.calls.countBits(read(false), 64)).isZero();
    }

    @Test
    void afterUnmapTheDeviceFaultsAndNothingIsDirtied() {
        start();
        f.calls.ioasUnmap(f.iommufd, f.ioas, IOVA, LEN, new long[1]);
        assertThat(f.dma(IOVA, 4096)).isEqualTo(4096);
        assertThat(writeLog.isEmpty()).isTrue();
    }
}
