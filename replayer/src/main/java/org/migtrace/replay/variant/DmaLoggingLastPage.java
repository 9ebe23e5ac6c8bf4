package org.migtrace.replay.variant;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.migtrace.replay.spi.Outcome;
import org.migtrace.replay.spi.PageRuns;
import org.migtrace.trace.RecordedEvent;

/**
 * A DMA-logging range never tracks its last page: the driver computes each range's end as
 * {@code iova + length - page} where the tracker wants the last byte, so the final page's writes are
 * never logged and {@code DMA_LOGGING_REPORT} never returns it. mlx5's bug, fixed by Linux
 * ce06a7000f0e (the tracker's range made to cover the whole range).
 */
public final class DmaLoggingLastPage extends Variant {
    @Override
    public String name() {
        return "dma-logging-last-page";
    }

    @Override
    public String description() {
        return "a DMA-logging range never reports its last page (Linux ce06a7000f0e, mlx5)";
    }

    @Override
    public String bug() {
        return "Linux ce06a7000f0e";
    }

    @Override
    protected Behaviour behaviour() {
        Map<String, List<long[]>> ranges = new TreeMap<>(); // host/device → {iova, length}
        return (s, ref) -> {
            Outcome o = ref.apply(s);
            if (!s.isSyscall() || o.ret() == null || o.ret() < 0) {
                return o;
            }
            RecordedEvent e = s.event();
            String key = e.host() + "/" + e.device();
            if ("DMA_LOGGING_START".equals(e.feature()) && e.featureOps() != null && e.featureOps().contains("SET")) {
                List<long[]> list = new ArrayList<>();
                for (JsonNode r : Args.in(e).path("data").path("*ranges")) {
                    list.add(new long[] {r.path("iova").asLong(), r.path("length").asLong()});
                }
                ranges.put(key, list);
            } else if ("DMA_LOGGING_REPORT".equals(e.feature()) && o.bitmap() != null && e.pageSize() != null
                    && e.pageSize() > 0) {
                PageRuns bitmap = o.bitmap();
                for (long[] r : ranges.getOrDefault(key, List.of())) {
                    long last = (r[0] + r[1] - 1) / e.pageSize();
                    bitmap = bitmap.minus(new PageRuns.Builder().add(last, 1).build());
                }
                return o.withBitmap(bitmap);
            }
            return o;
        };
    }
}
