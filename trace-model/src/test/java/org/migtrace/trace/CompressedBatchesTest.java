package org.migtrace.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Format 3.0: record batch buffers are ZSTD-compressed; 2.x's uncompressed files still read. */
class CompressedBatchesTest {
    @TempDir
    Path tmp;

    /** The first bytes of every zstd frame. */
    private static final byte[] ZSTD_MAGIC = {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD};

    @Test
    void aTraceIsWrittenCompressedAndReadsTheRowsAnUncompressedOneHolds() throws Exception {
        SampleTrace sample = SampleTrace.of(4000);
        Path compressed = tmp.resolve("zstd");
        sample.write(compressed, 1024);
        Path plain = tmp.resolve("plain");
        RawTraceFiles.trace(plain, sample.events(), sample.dirtyRuns(), sample.iterations());

        assertThat(RecordedTrace.readAllEvents(compressed)).containsExactlyElementsOf(sample.events())
                .containsExactlyElementsOf(RecordedTrace.readAllEvents(plain));
        try (RecordedTrace trace = RecordedTrace.open(compressed)) {
            assertThat(TraceWriterReadBackTest.all(trace.dirtyRuns())).containsExactlyElementsOf(sample.dirtyRuns());
        }
        for (Table t : List.of(Table.EVENTS, Table.DIRTY_RUNS)) {
            assertThat(Files.size(compressed.resolve(t.file())))
                    .as(t.file() + ": a quarter of the uncompressed file at most")
                    .isLessThan(Files.size(plain.resolve(t.file())) / 4);
        }
        assertThat(TraceVerifier.verify(compressed).problems()).isEmpty();
        assertThat(TraceVerifier.verify(plain).problems()).isEmpty();
    }

    @Test
    void aBufferClaimingMoreThanItsFrameCanHoldIsRefusedWithItsPlaceBeforeAnyAllocation() throws Exception {
        Path dir = tmp.resolve("t");
        SampleTrace.of(200).write(dir, 64);
        Path events = dir.resolve(Table.EVENTS.file());
        byte[] bytes = Files.readAllBytes(events);
        int frame = indexOf(bytes, ZSTD_MAGIC);
        assertThat(frame).as("a zstd frame in the file").isGreaterThan(8);
        // The 8 bytes before a compressed buffer's frame: the length it decompresses to (2^50 here).
        ByteBuffer.wrap(bytes, frame - 8, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 50);
        Files.write(events, bytes);

        assertThatThrownBy(() -> RecordedTrace.readAllEvents(dir)).isInstanceOf(BadTraceException.class)
                .hasMessageStartingWith(events + ": offset ")
                .hasMessageContaining("says it decompresses to 1125899906842624 bytes");
    }

    @Test
    void batchesCompressedWithAnotherCodecAreRefusedNamingIt() throws Exception {
        Path dir = tmp.resolve("t");
        SampleTrace sample = SampleTrace.of(50);
        RawTraceFiles.trace(dir, sample.events(), sample.dirtyRuns(), sample.iterations());
        Path events = dir.resolve(Table.EVENTS.file());
        Files.delete(events);
        List<Object[]> rows = new ArrayList<>();
        sample.events().forEach(e -> rows.add(RawTraceFiles.event(e)));
        RawTraceFiles.write(events, RawTraceFiles.schema(Table.EVENTS), rows, CompressionUtil.CodecType.LZ4_FRAME);
        RawTraceFiles.finalManifest(dir, List.of(50L, (long) sample.dirtyRuns().size(), (long) sample.iterations().size()));

        assertThatThrownBy(() -> RecordedTrace.open(dir)).isInstanceOf(BadTraceException.class)
                .hasMessageStartingWith(events + ": offset ")
                .hasMessageContaining("record batch compressed with LZ4_FRAME");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
