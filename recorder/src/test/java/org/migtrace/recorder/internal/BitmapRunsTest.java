package org.migtrace.recorder.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.migtrace.sim.mem.UserMemory;

class BitmapRunsTest {
    private final UserMemory mem = new UserMemory();
    private final BitmapRuns scanner = new BitmapRuns();

    private List<List<Long>> scan(BitmapRequest request) {
        List<List<Long>> runs = new ArrayList<>();
        assertThat(scanner.scan(mem, request, (first, count) -> runs.add(List.of(first, count)))).isTrue();
        return runs;
    }

    /** Runs of a byte-addressed bitmap found one bit at a time. */
    private static List<List<Long>> naive(byte[] bytes, long firstPage, long nbits) {
        List<List<Long>> out = new ArrayList<>();
        long start = -1;
        for (long n = 0; n <= nbits; n++) {
            boolean set = n < nbits && (bytes[(int) (n >>> 3)] & (1 << (n & 7))) != 0;
            if (set && start < 0) {
                start = n;
            } else if (!set && start >= 0) {
                out.add(List.of(firstPage + start, n - start));
                start = -1;
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3, 5, 7})
    void runsAreTheSetBitsAtAnyByteAlignmentAndLength(int misalign) {
        SplittableRandom random = new SplittableRandom(misalign);
        for (long nbits : new long[] {1, 7, 63, 64, 65, 8 * 1000, 8 * 1000 - 3, 64 * 9000 + 17}) {
            byte[] bytes = new byte[(int) ((nbits + 7) / 8)];
            for (int i = 0; i < bytes.length; i++) {
                // long runs, short runs, whole 0x00 and 0xFF words
                int kind = random.nextInt(4);
                bytes[i] = (byte) (kind == 0 ? 0 : kind == 1 ? 0xFF : random.nextInt(256));
            }
            long buf = mem.malloc(bytes.length + 8L) + misalign;
            mem.write(buf, bytes, 0, bytes.length);

            assertThat(scan(new BitmapRequest(buf, nbits, 1000, 4096)))
                    .as("%d bits at +%d", nbits, misalign).isEqualTo(naive(bytes, 1000, nbits));
        }
    }

    @Test
    void bitsPastTheCoveredPagesAreIgnored() {
        long buf = mem.malloc(16);
        mem.fillLongs(buf, -1L, 2);

        assertThat(scan(new BitmapRequest(buf, 70, 0, 4096))).containsExactly(List.of(0L, 70L));
        assertThat(scan(new BitmapRequest(buf, 10, 5, 4096))).containsExactly(List.of(5L, 10L));
    }

    @Test
    void anAllDirtyTerabyteBitmapIsOneRun() {
        long nbits = 1L << 28; // 1 TiB of 4 KiB pages
        long buf = mem.malloc(nbits / 8);
        mem.fillLongs(buf, -1L, nbits / 64);
        long firstPage = (1L << 32) / 4096;

        assertThat(scan(new BitmapRequest(buf, nbits, firstPage, 4096))).containsExactly(List.of(firstPage, nbits));
    }

    @Test
    void aBitmapThatEndsOutsideItsMappingFaultsAfterTheRunsItCouldRead() {
        long buf = mem.malloc(8);
        mem.fillLongs(buf, 0x0FL, 1);
        List<List<Long>> runs = new ArrayList<>();

        boolean complete = scanner.scan(mem, new BitmapRequest(buf, 128, 0, 4096), (f, c) -> runs.add(List.of(f, c)));

        assertThat(complete).isFalse();
        assertThat(runs).containsExactly(List.of(0L, 4L));
    }

    @Test
    void aRequestFromIovaLengthAndPageSizeCountsPagesFromTheIovasPage() {
        BitmapRequest r = BitmapRequest.of(1L << 32, 2L << 20, 4096, 0x1000);

        assertThat(List.of(r.firstPage(), r.nbits(), r.pageSize())).containsExactly((1L << 32) / 4096, 512L, 4096L);
        assertThat(BitmapRequest.of(0, 0, 4096, 0x1000)).isNull();
        assertThat(BitmapRequest.of(0, 4096, 3000, 0x1000)).isNull();
        assertThat(BitmapRequest.of(-4096L, 4096, 4096, 0x1000).firstPage()).as("IOVAs are unsigned")
                .isEqualTo(Long.divideUnsigned(-4096L, 4096));
    }
}
