package org.migtrace.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.migtrace.sim.MemoryWriteEvent;
import org.migtrace.sim.SimObserver;
import org.migtrace.sim.Sys;
import org.migtrace.sim.SyscallEvent;
import org.migtrace.sim.mem.UserMemory;
import org.migtrace.sim.scenario.ScenarioLoader;
import org.migtrace.trace.DirtySource;
import org.migtrace.trace.EventColumn;
import org.migtrace.uapi.DeviceFeature;
import org.migtrace.uapi.FdKind;
import org.migtrace.uapi.Ioctl;
import org.migtrace.uapi.StructLayout;
import org.migtrace.uapi.Structs;

/**
 * Dirty runs: the set bits of every bitmap a successful dirty-report ioctl returned, compared with a
 * bit-by-bit decode of the same user memory at the same moment; the pages of every write batch.
 */
class DirtyRunsTest {

    /**
     * At the exit of each successful GET_BITMAP, DMA_LOGGING_REPORT or GET_DIRTY_BITMAP, decodes the
     * struct and reads the user bitmap one bit at a time into runs {@code {firstPage, count}}.
     */
    static final class BitByBit implements SimObserver {
        final List<List<List<Long>>> reports = new ArrayList<>();

        @Override
        public void syscallExit(SyscallEvent e, long ret) {
            if (e.sys() != Sys.IOCTL || ret != 0) {
                return;
            }
            Ioctl ioctl = Ioctl.lookup(e.fdKind(), e.cmd()).orElse(null);
            UserMemory mem = e.memory();
            long[] r = null; // iova, length, page size, bitmap
            if (ioctl == Ioctl.VFIO_IOMMU_DIRTY_PAGES) {
                StructLayout g = Structs.VFIO_IOMMU_TYPE1_DIRTY_BITMAP_GET;
                byte[] head = mem.copyFrom(e.arg(), 8);
                if ((Structs.VFIO_IOMMU_TYPE1_DIRTY_BITMAP.field("flags").get(head, 0)
                        & Structs.VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP) != 0) {
                    head = mem.copyFrom(e.arg(), 8 + g.size());
                    r = new long[] {g.field("iova").get(head, 8), g.field("size").get(head, 8),
                        g.field("bitmap.pgsize").get(head, 8), g.field("bitmap.data").get(head, 8)};
                }
            } else if (ioctl == Ioctl.VFIO_DEVICE_FEATURE) {
                StructLayout p = Structs.VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT;
                byte[] b = mem.copyFrom(e.arg(), 8);
                if ((Structs.VFIO_DEVICE_FEATURE.field("flags").get(b, 0) & DeviceFeature.MASK)
                        == DeviceFeature.DMA_LOGGING_REPORT.index()) {
                    b = mem.copyFrom(e.arg(), 8 + p.size());
                    r = new long[] {p.field("iova").get(b, 8), p.field("length").get(b, 8), p.field("page_size").get(b, 8),
                        p.field("bitmap").get(b, 8)};
                }
            } else if (ioctl == Ioctl.IOMMU_HWPT_GET_DIRTY_BITMAP) {
                StructLayout l = Structs.IOMMU_HWPT_GET_DIRTY_BITMAP;
                byte[] b = mem.copyFrom(e.arg(), l.size());
                r = new long[] {l.field("iova").get(b, 0), l.field("length").get(b, 0), l.field("page_size").get(b, 0),
                    l.field("data").get(b, 0)};
            }
            if (r != null) {
                reports.add(runs(mem, r[0] / r[2], r[1] / r[2], r[3]));
            }
        }

        private static List<List<Long>> runs(UserMemory mem, long firstPage, long nbits, long data) {
            byte[] bits = mem.copyFrom(data, (int) ((nbits + 7) / 8));
            List<List<Long>> out = new ArrayList<>();
            long start = -1;
            for (long n = 0; n <= nbits; n++) {
                boolean set = n < nbits && (bits[(int) (n / 8)] & (1 << (n % 8))) != 0;
                if (set && start < 0) {
                    start = n;
                } else if (!set && start >= 0) {
                    out.add(List.of(firstPage + start, n - start));
                    start = -1;
                }
            }
            return out;
        }
    }

    private static boolean returnsBitmap(MemorySink.Row row) {
        String op = row.str(EventColumn.OP);
        return row.num(EventColumn.RET) != null && row.num(EventColumn.RET) == 0
                && (op.equals("IOMMU_HWPT_GET_DIRTY_BITMAP")
                || op.equals("VFIO_IOMMU_DIRTY_PAGES") && row.num(EventColumn.PAGE_SIZE) != null
                || "DMA_LOGGING_REPORT".equals(row.str(EventColumn.FEATURE)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"nic-converges", "vf-no-dirty-tracking", "two-devices-p2p", "v1-legacy", "iommufd-hugepages"})
    void theRunsOfEveryReturnedBitmapAreItsSetBits(String scenario) throws Exception {
        BitByBit check = new BitByBit();
        Recorded r = Recorded.of(ScenarioLoader.builtIn(scenario), check);

        List<List<List<Long>>> recorded = new ArrayList<>();
        for (MemorySink.Row row : r.sink.rows) {
            if (returnsBitmap(row)) {
                List<MemorySink.Run> rows = r.sink.runsOf(row.seq());
                assertThat(rows).allSatisfy(run -> {
                    assertThat(run.source()).isEqualTo(DirtySource.BITMAP);
                    assertThat(run.pageSize()).isEqualTo(row.num(EventColumn.PAGE_SIZE));
                });
                recorded.add(MemorySink.asRuns(rows));
            }
        }
        assertThat(recorded).isNotEmpty().isEqualTo(check.reports);
        assertThat(recorded).anySatisfy(runs -> assertThat(runs).isNotEmpty());
    }

    @Test
    void withNothingTrackingDmaEveryBitmapIsOneRunAndEverySyncCoversAllOfRam() {
        Recorded r = Recorded.builtIn("vf-no-dirty-tracking");
        long ramPages = (8L << 30) / 4096;

        List<MemorySink.Row> gets = r.sink.rows("syscall", "VFIO_IOMMU_DIRTY_PAGES").stream()
                .filter(row -> row.num(EventColumn.PAGE_SIZE) != null).toList();
        assertThat(gets).isNotEmpty().allSatisfy(row -> assertThat(r.sink.runsOf(row.seq())).singleElement()
                .satisfies(run -> assertThat(List.of(run.firstPage(), run.pageCount())).containsExactly(
                        row.num(EventColumn.IOVA) / 4096, row.num(EventColumn.LENGTH) / 4096)));
        long syncs = r.sink.rows("migration", "ITERATION").size();
        long reported = gets.stream().mapToLong(row -> r.sink.runsOf(row.seq()).get(0).pageCount()).sum();
        assertThat(reported).isEqualTo(syncs * ramPages);
    }

    @Test
    void writeRowsCarryTheBatchSizeAndItsPagesAsRuns() {
        Recorded r = Recorded.builtIn("nic-converges");
        List<MemorySink.Row> writes = r.sink.kind("write");

        assertThat(writes).hasSameSizeAs(r.seen.writes);
        for (int i = 0; i < writes.size(); i += 7) {
            MemorySink.Row row = writes.get(i);
            MemoryWriteEvent e = r.seen.writes.get(i);
            boolean cpu = e.actor().equals("cpu");
            assertThat(List.of(row.str(EventColumn.OP), row.str(EventColumn.ACTOR)))
                    .containsExactly(cpu ? "CPU_WRITE" : "DMA_WRITE", cpu ? "guest_cpu" : "device_dma");
            assertThat(List.of(row.num(EventColumn.LENGTH), row.num(EventColumn.COUNT), row.num(EventColumn.TS_NS)))
                    .containsExactly(e.bytes(), (long) e.starts().length, e.tsNs());
            assertThat(row.str(EventColumn.DEVICE)).isEqualTo(e.device());
            BitSet written = new BitSet();
            for (int k = 0; k < e.starts().length; k++) {
                for (long p = e.starts()[k] / 4096; p <= (e.starts()[k] + e.lengths()[k] - 1) / 4096; p++) {
                    written.set((int) p);
                }
            }
            BitSet recorded = new BitSet();
            for (MemorySink.Run run : r.sink.runsOf(row.seq())) {
                assertThat(run.source()).isEqualTo(cpu ? DirtySource.CPU_WRITE : DirtySource.DMA_WRITE);
                assertThat(run.pageSize()).isEqualTo(4096);
                recorded.set((int) run.firstPage(), (int) (run.firstPage() + run.pageCount()));
            }
            assertThat(recorded).isEqualTo(written);
        }
    }

    @Test
    void anUnmapWithDirtyBitmapRecordsItsBits() {
        Type1Rig rig = new Type1Rig();
        long size = 64L << 20;
        long ram = rig.ram(size);
        int c = rig.container();
        assertThat(rig.calls.mapDma(c, ram, 1L << 32, size)).isZero();
        assertThat(rig.calls.dirtyStart(c)).isZero();

        var unmapped = rig.calls.unmapDmaGetBitmap(c, 1L << 32, size, 4096);

        assertThat(unmapped.ret()).isZero();
        MemorySink.Row row = rig.sink.rows("syscall", "VFIO_IOMMU_UNMAP_DMA").get(0);
        assertThat(row.num(EventColumn.FLAGS)).isEqualTo(Structs.VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP);
        assertThat(List.of(row.num(EventColumn.IOVA), row.num(EventColumn.LENGTH), row.num(EventColumn.PAGE_SIZE)))
                .containsExactly(1L << 32, size, 4096L);
        assertThat(row.args().at("/out/size").asLong()).isEqualTo(size);
        // a group that never pinned: type1 reports every mapped page
        assertThat(unmapped.bitmap().toBitmap().cardinality()).isEqualTo(size / 4096);
        assertThat(rig.sink.runsOf(row.seq())).singleElement().satisfies(run ->
                assertThat(List.of(run.firstPage(), run.pageCount())).containsExactly((1L << 32) / 4096, size / 4096));
        assertThat(FdKind.valueOf(row.str(EventColumn.FD_KIND))).isEqualTo(FdKind.CONTAINER);
    }
}
