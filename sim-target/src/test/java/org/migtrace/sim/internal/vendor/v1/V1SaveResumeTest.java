package org.migtrace.sim.internal.vendor.v1;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.migtrace.sim.vendor.V1DeviceConfig;
import org.migtrace.sim.vendor.V1DeviceConfig.OnFailure;
import org.migtrace.uapi.Errno;

class V1SaveResumeTest {
    private static final long WINDOW = 4096;

    /** 40000-byte image, 10000 initial pre-copy bytes, 1 MB/s dirtied, chunks of at most 4096 bytes. */
    private static final V1DeviceConfig CONFIG = V1DeviceConfig.builder()
            .stopCopyBytes(40_000).precopyInitialBytes(10_000).dirtyBytesPerSecond(1_000_000)
            .maxChunkBytes(4096).dataOffset(WINDOW).dataWindowBytes(16 * 1024).build();

    private static V1Rig quietRig(V1DeviceConfig config) {
        V1Rig rig = new V1Rig(config);
        rig.host.setSyscallCostNs(0); // only explicit clock advances dirty pre-copy data
        return rig;
    }

    private static List<Long> chunkSizes(V1Rig rig) {
        List<Long> sizes = new ArrayList<>();
        while (rig.pending() > 0) {
            sizes.add(rig.collectChunk());
        }
        return sizes;
    }

    @Test
    void stopAndCopyHandsOutExactlyTheImageInLimitedChunks() {
        V1Rig rig = quietRig(CONFIG);
        assertThat(rig.setState(2)).isEqualTo(4);
        assertThat(rig.pending()).isEqualTo(40_000);
        List<Long> sizes = chunkSizes(rig);
        assertThat(sizes).hasSize(10).startsWith(4096L, 4096L).endsWith(3136L);
        assertThat(sizes.stream().mapToLong(Long::longValue).sum()).isEqualTo(40_000);
        assertThat(rig.pending()).as("end of stream: !RUNNING and pending 0").isZero();
        assertThat(rig.setState(0)).isEqualTo(4);
    }

    @Test
    void pendingDropsOnlyWhenTheChunkIsAcknowledged() {
        V1Rig rig = quietRig(CONFIG);
        rig.setState(2);
        assertThat(rig.pending()).isEqualTo(40_000);
        assertThat(rig.pending()).as("repeated reads have no side effect").isEqualTo(40_000);
        assertThat(rig.dataOffset()).isEqualTo(WINDOW);
        assertThat(rig.dataOffset()).as("data_offset read twice: the same chunk").isEqualTo(WINDOW);
        assertThat(rig.dataSize()).isEqualTo(4096);
        assertThat(rig.dataSize()).isEqualTo(4096);
        assertThat(rig.pending()).as("re-reading pending_bytes acknowledges the chunk").isEqualTo(40_000 - 4096);
    }

    @Test
    void precopyGivesInitialBytesThenWhatTheDeviceDirtiesThenStopCopyGivesTheImage() {
        V1Rig rig = quietRig(CONFIG);
        assertThat(rig.setState(3)).isEqualTo(4);
        assertThat(chunkSizes(rig)).containsExactly(4096L, 4096L, 1808L);

        rig.clock.advance(5_000_000); // 5 ms at 1 MB/s: 5000 bytes
        assertThat(rig.pending()).as("libvfio-user: FINISHED reads 0 until the next device_state write").isZero();
        assertThat(rig.setState(3)).as("re-arming write of the same state").isEqualTo(4);
        assertThat(rig.pending()).isEqualTo(5000);
        assertThat(chunkSizes(rig)).containsExactly(4096L, 904L);

        rig.clock.advance(1_000_000);
        assertThat(rig.setState(2)).isEqualTo(4);
        assertThat(rig.pending()).as("stop-and-copy starts a new stream; undrained pre-copy data is dropped")
                .isEqualTo(40_000);
        assertThat(rig.drain()).isEqualTo(40_000);
        assertThat(rig.device.driver().dmaAllowed()).isFalse();
    }

    @Test
    void unacknowledgedChunkIsOfferedAgainAfterAWriteThatKeepsThePhase() {
        V1Rig rig = quietRig(CONFIG.toBuilder().ndma(true).build());
        rig.setState(3);
        assertThat(rig.pending()).isEqualTo(10_000);
        rig.dataOffset();
        byte[] first = rig.readData(WINDOW, 4096);
        assertThat(rig.setState(0xB)).as("pre-copy with NDMA: same stream").isEqualTo(4);
        assertThat(rig.pending()).as("the chunk was never acknowledged").isEqualTo(10_000);
        rig.dataOffset();
        assertThat(rig.readData(WINDOW, 4096)).isEqualTo(first);
        assertThat(rig.pending()).isEqualTo(10_000 - 4096);
    }

    @Test
    void resumeConsumesChunksAndLeavingResumingChecksTheImageIsComplete() {
        V1Rig rig = quietRig(CONFIG);
        assertThat(rig.setState(4)).isEqualTo(4);
        long written = 0;
        while (written < 40_000) {
            long off = rig.dataOffset();
            assertThat(off).isEqualTo(WINDOW);
            long n = Math.min(4096, 40_000 - written);
            assertThat(rig.t.pwrite(rig.fd, rig.buf, n, V1Rig.MIG + off)).isEqualTo(n);
            assertThat(rig.write(V1Rig.DATA_SIZE, 8, n)).isEqualTo(8);
            assertThat(rig.dataSize()).as("data_size reads back what was written").isEqualTo(n);
            written += n;
        }
        assertThat(rig.vendor().resumedBytes()).isEqualTo(40_000);
        assertThat(rig.setState(1)).isEqualTo(4);
        assertThat(rig.state()).isEqualTo(1);
    }

    @Test
    void incompleteResumeFailsTheWriteAndKeepsResumingOrFallsIntoError() {
        V1Rig keep = quietRig(CONFIG);
        keep.setState(4);
        keep.dataOffset();
        keep.write(V1Rig.DATA_SIZE, 8, 1000);
        assertThat(keep.setState(1)).isEqualTo(Errno.EINVAL.ret());
        assertThat(keep.state()).isEqualTo(4);

        V1Rig error = quietRig(CONFIG.toBuilder().onFailure(OnFailure.ERROR_STATE).build());
        error.setState(4);
        assertThat(error.setState(0)).isEqualTo(Errno.EINVAL.ret());
        assertThat(error.state()).isEqualTo(6);
    }

    @Test
    void resumeRefusesAChunkLargerThanTheWindow() {
        V1Rig rig = quietRig(CONFIG);
        rig.setState(4);
        assertThat(rig.write(V1Rig.DATA_SIZE, 8, 16 * 1024 + 1)).isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.write(V1Rig.DATA_SIZE, 8, -1L)).as("u64, not a negative size").isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.write(V1Rig.DATA_SIZE, 8, 16 * 1024)).isEqualTo(8);
    }

    @Test
    void outOfSequenceSaveAccessesFollowLibvfioUser() {
        V1Rig rig = quietRig(CONFIG);
        rig.setState(2);
        assertThat(rig.dataOffset()).as("data_offset before pending_bytes").isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.dataSize()).as("data_size before pending_bytes").isEqualTo(Errno.EINVAL.ret());
        rig.pending();
        assertThat(rig.dataSize()).as("data_size before data_offset: the last chunk's size, none yet").isZero();
        rig.collectChunk();
        rig.pending();
        assertThat(rig.dataSize()).as("stale: previous chunk, nothing prepared").isEqualTo(4096);
        assertThat(rig.pending()).as("nothing was prepared, so nothing was consumed").isEqualTo(40_000 - 4096);

        assertThat(rig.write(V1Rig.DATA_SIZE, 8, 4096)).as("data_size is read-only while SAVING")
                .isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.write(V1Rig.DATA_OFFSET, 8, 0)).isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.write(V1Rig.PENDING, 8, 0)).isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.t.pwrite(rig.fd, rig.buf, 8, V1Rig.MIG + WINDOW)).as("window write while SAVING")
                .isEqualTo(Errno.EINVAL.ret());
    }

    @Test
    void dataReadsMustStayInsideThePreparedChunk() {
        V1Rig rig = quietRig(CONFIG.toBuilder().stopCopyBytes(6000).build());
        rig.setState(2);
        rig.pending();
        assertThat(rig.readData(WINDOW, 8)).as("no chunk prepared yet").isNull();
        assertThat(rig.lastRet).isEqualTo(Errno.EINVAL.ret());
        rig.dataOffset();
        byte[] whole = rig.readData(WINDOW, 4096);
        byte[] pieces = new byte[4096];
        for (int at = 0; at < 4096; at += 8) {
            System.arraycopy(rig.readData(WINDOW + at, 8), 0, pieces, at, 8);
        }
        assertThat(pieces).as("8-byte reads, as QEMU 6.0+ does them, see the same bytes").isEqualTo(whole);
        assertThat(rig.readData(WINDOW + 4000, 200)).as("past the chunk").isNull();
        assertThat(rig.lastRet).isEqualTo(Errno.EINVAL.ret());

        assertThat(rig.pending()).isEqualTo(6000 - 4096);
        assertThat(rig.readData(WINDOW, 8)).as("acknowledged chunk is gone").isNull();
        rig.dataOffset();
        assertThat(rig.dataSize()).isEqualTo(6000 - 4096);
        assertThat(rig.readData(WINDOW, 8)).as("the next chunk continues the stream").isNotEqualTo(
                Arrays.copyOf(whole, 8));
    }

    @Test
    void registersOutsideSavingOrResuming() {
        V1Rig rig = quietRig(CONFIG);
        assertThat(rig.pending()).as("RUNNING: nothing to save, no error (libvfio-user does not check)").isZero();
        assertThat(rig.dataOffset()).isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.dataSize()).isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.write(V1Rig.DATA_SIZE, 8, 8)).isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.readData(WINDOW, 8)).isNull();
        assertThat(rig.lastRet).isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.t.pwrite(rig.fd, rig.buf, 8, V1Rig.MIG + WINDOW)).isEqualTo(Errno.EINVAL.ret());
    }

    @Test
    void registerAccessesMustBeOneWholeFieldAtItsWidth() {
        V1Rig rig = quietRig(CONFIG);
        assertThat(rig.read(V1Rig.DEVICE_STATE, 8)).as("device_state and reserved together").isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.read(V1Rig.DEVICE_STATE, 2)).isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.read(V1Rig.MIG + 1, 4)).as("unaligned").isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.read(V1Rig.MIG + 12, 4)).as("upper half of pending_bytes").isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.read(V1Rig.PENDING, 4)).isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.write(V1Rig.DEVICE_STATE, 8, 3)).isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.write(V1Rig.DATA_SIZE, 4, 3)).isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.t.pread(rig.fd, rig.buf, 0, V1Rig.DEVICE_STATE)).as("zero-length").isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.t.pread(rig.fd, rig.buf, 32, V1Rig.MIG)).as("the whole block at once").isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.read(V1Rig.DATA_SIZE + 8, 8)).as("dead space after the block").isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.t.pread(rig.fd, rig.buf, 16, V1Rig.DATA_SIZE)).as("straddles into the gap").isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.t.pread(rig.fd, rig.buf, 8, V1Rig.MIG + WINDOW + 16 * 1024)).as("past the region")
                .isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.state()).as("none of it changed the state").isEqualTo(1);
    }

    @Test
    void unmappedUserBufferFaults() {
        V1Rig rig = quietRig(CONFIG);
        long hole = 0x1000;
        assertThat(rig.t.pread(rig.fd, hole, 4, V1Rig.DEVICE_STATE)).isEqualTo(Errno.EFAULT.ret());
        assertThat(rig.t.pwrite(rig.fd, hole, 4, V1Rig.DEVICE_STATE)).isEqualTo(Errno.EFAULT.ret());
        assertThat(rig.state()).isEqualTo(1);
    }

    @Test
    void streamBytesAreDeterministicPerSeed() {
        byte[] a = firstChunk(CONFIG);
        byte[] b = firstChunk(CONFIG);
        byte[] c = firstChunk(CONFIG.toBuilder().seed(7).build());
        assertThat(a).isEqualTo(b).isNotEqualTo(c);
    }

    private static byte[] firstChunk(V1DeviceConfig config) {
        V1Rig rig = quietRig(config);
        rig.setState(2);
        rig.pending();
        rig.dataOffset();
        return rig.readData(WINDOW, 4096);
    }
}
