package org.migtrace.sim.mem;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UserMemoryTest {

    @Test
    void accessOutsideAnyMappingFaults() {
        UserMemory m = new UserMemory();
        long a = m.malloc(16);
        assertThat(m.copyFrom(a, 16)).isNotNull();
        assertThat(m.copyFrom(a, 17)).as("runs past the buffer").isNull();
        assertThat(m.copyFrom(a - 1, 1)).isNull();
        m.free(a);
        assertThat(m.copyFrom(a, 1)).as("freed").isNull();
    }

    @Test
    void wordsAreLittleEndianAtAnyAlignment() {
        UserMemory m = new UserMemory();
        long a = m.malloc(64);
        assertThat(m.writeLongs(a + 3, new long[] {0x0807060504030201L}, 0, 1)).isTrue();
        byte[] b = m.copyFrom(a, 12);
        assertThat(b).containsExactly(0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0);
        long[] back = new long[1];
        assertThat(m.readLongs(a + 3, back, 0, 1)).isTrue();
        assertThat(back[0]).isEqualTo(0x0807060504030201L);
    }

    @Test
    void setBitsFollowsKernelBitmapSetByteOrder() {
        UserMemory m = new UserMemory();
        long a = m.malloc(8);
        assertThat(m.setBits(a, 5, 13)).isTrue(); // bits 5..17
        assertThat(m.copyFrom(a, 3)).containsExactly((byte) 0xE0, (byte) 0xFF, (byte) 0x03);
        assertThat(m.setBits(a, 60, 8)).as("past the buffer").isFalse();
    }

    @Test
    void anonymousMemoryIsLazyAndAlignedToItsPageSize() {
        UserMemory m = new UserMemory();
        long ram = m.mapAnonymous(1L << 40, 2L << 20); // 1 TiB of 2 MiB pages, no bytes allocated
        assertThat(ram % (2L << 20)).isZero();
        assertThat(m.regionAt(ram + (1L << 39)).pageSize()).isEqualTo(2L << 20);
        assertThat(m.copyFrom(ram + 12345, 8)).containsOnly(0);
        assertThat(UserMemory.accessOk(ram, 1L << 40)).isTrue();
        assertThat(UserMemory.accessOk(UserMemory.TASK_SIZE_MAX - 8, 16)).isFalse();
    }

    @Test
    void writeLogMarksEveryTouchedPage() {
        UserMemory m = new UserMemory();
        long ram = m.mapAnonymous(1L << 24, 4096);
        Bitmap log = m.trackWrites(ram);
        assertThat(m.noteWrite(ram + 4095, 2)).isTrue();
        assertThat(log.cardinality()).isEqualTo(2);
        assertThat(log.get(0)).isTrue();
        assertThat(log.get(1)).isTrue();
        assertThat(m.noteWrite(ram + (1L << 24) - 4, 8)).as("crosses the end").isFalse();
    }

    @Test
    void deviceMappingsTellTheirOwnerWhenUnmapped() {
        UserMemory m = new UserMemory();
        Object owner = new Object();
        int[] closed = {0};
        long addr = m.mapDevice(8192, owner, 0, r -> closed[0]++);
        assertThat(m.deviceMappingsWhere(o -> o == owner)).hasSize(1);
        assertThat(m.unmap(addr, 4096)).as("partial unmap is not modelled").isFalse();
        assertThat(m.unmap(addr, 8192)).isTrue();
        assertThat(closed[0]).isEqualTo(1);
        assertThat(m.deviceMappingsWhere(o -> o == owner)).isEmpty();
    }

    @Test
    void bulkWordWritesMatchWordByWordOnEveryKindOfMemory() {
        UserMemory m = new UserMemory();
        long heap = m.malloc(1 << 16);
        long anon = m.mapAnonymous(1 << 16, 4096);
        long[] src = new long[1500];
        for (int i = 0; i < src.length; i++) {
            src[i] = 0x0101_0101_0101_0101L * (i % 251) ^ ((long) i << 40);
        }
        for (long base : new long[] {heap + 3, anon + 4093}) { // unaligned, and straddling anon pages
            assertThat(m.writeLongs(base, src, 7, 1400)).isTrue();
            long[] back = new long[1400];
            assertThat(m.readLongs(base, back, 0, 1400)).isTrue();
            for (int i = 0; i < 1400; i++) {
                assertThat(back[i]).isEqualTo(src[7 + i]);
            }
        }
        assertThat(m.writeLongs(heap + (1 << 16) - 8, src, 0, 2)).as("runs past the buffer").isFalse();
    }

    @Test
    void fillLongsRepeatsTheWordAndZeroLeavesLazyPagesAbsent() {
        UserMemory m = new UserMemory();
        long heap = m.malloc(64);
        assertThat(m.fillLongs(heap + 1, 0x1122_3344_5566_7788L, 3)).isTrue();
        long[] w = new long[3];
        m.readLongs(heap + 1, w, 0, 3);
        assertThat(w).containsOnly(0x1122_3344_5566_7788L);
        long anon = m.mapAnonymous(1 << 20, 4096);
        assertThat(m.fillLongs(anon + 4092, -1L, 2)).isTrue();
        assertThat(m.getLong(anon + 4092)).isEqualTo(-1L);
        assertThat(m.getLong(anon + 4100)).isEqualTo(-1L);
        assertThat(m.fillLongs(anon, 0, 1 << 17)).isTrue();
        assertThat(m.getLong(anon + 4096)).isZero();
        assertThat(m.fillLongs(heap, 0, 9)).as("past the buffer").isFalse();
    }
}
