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
        assertThat(m.deviceMappings(owner)).hasSize(1);
        assertThat(m.unmap(addr, 4096)).as("partial unmap is not modelled").isFalse();
        assertThat(m.unmap(addr, 8192)).isTrue();
        assertThat(closed[0]).isEqualTo(1);
        assertThat(m.deviceMappings(owner)).isEmpty();
    }
}
