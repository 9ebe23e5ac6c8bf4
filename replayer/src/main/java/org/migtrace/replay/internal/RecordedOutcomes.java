package org.migtrace.replay.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.migtrace.replay.spi.Outcome;
import org.migtrace.replay.spi.PageRuns;
import org.migtrace.trace.RecordedDirtyRun;
import org.migtrace.trace.RecordedEvent;
import org.migtrace.uapi.Structs;

/** The outcome a recording holds for a syscall: its row's columns, its state rows, its bitmap runs. */
public final class RecordedOutcomes {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RecordedOutcomes() {
    }

    /** A syscall replayed and waiting for the state rows that follow it. */
    public static final class Pending {
        private final RecordedEvent event;
        private final List<RecordedDirtyRun> runs;
        private final Outcome replayed;
        private final Outcome against;
        private final List<String> states = new ArrayList<>();

        Pending(RecordedEvent event, List<RecordedDirtyRun> runs, Outcome replayed, Outcome against) {
            this.event = event;
            this.runs = List.copyOf(runs);
            this.replayed = replayed;
            this.against = against;
        }

        /** Whether state row {@code e} belongs to this call ({@code args.syscall_seq}). */
        public boolean accepts(RecordedEvent e) {
            JsonNode args = parse(e.args());
            JsonNode seq = args.get("syscall_seq");
            return seq != null && seq.asLong() == event.seq();
        }

        public void addState(RecordedEvent e) {
            states.add(e.fromState() + ">" + e.toState());
        }

        public RecordedEvent event() {
            return event;
        }

        public Outcome replayed() {
            return replayed;
        }

        public Outcome against() {
            return against;
        }

        /**
         * Whether comparing the recorded outcome with the replayed one ({@link OutcomeCompare}, the
         * states walked only when {@code states}) surely finds nothing, decided from the row as it
         * is: the common case costs no recorded outcome. False when unsure (a bitmap, a v1 register
         * read): then compare.
         */
        public boolean plainlyMatches(boolean states) {
            Outcome r = replayed;
            if (event.ret() != null && r.ret() != null && event.ret().longValue() != r.ret().longValue()) {
                return false;
            }
            if (states && !this.states.equals(r.states())) {
                return false;
            }
            if (!runs.isEmpty() || r.bitmap() != null || "pread64".equals(event.op())) {
                return false;
            }
            Map<String, String> v = r.values();
            if (v.isEmpty() || event.ret() == null || event.ret() < 0) {
                return true; // nothing replayed to compare, or nothing recorded (values(event) is empty)
            }
            for (Map.Entry<String, String> value : v.entrySet()) { // a value or two, not every column
                ValueColumn c = VALUE_COLUMN.get(value.getKey());
                Object recorded = c == null ? null : c.of().apply(event);
                if (recorded != null && !sameValue(value.getValue(), recorded)) {
                    return false;
                }
            }
            return true;
        }

        /** The recorded outcome. */
        public Outcome recorded() {
            return new Outcome(event.ret(), states, bitmap(event, runs), values(event));
        }
    }

    /** Whether {@code s} is {@code Long.toString(v)}, without making that string. */
    static boolean isDecimal(String s, long v) {
        int i = s.length();
        long x = v;
        do {
            if (--i < 0 || s.charAt(i) != '0' + Math.abs((int) (x % 10))) {
                return false;
            }
            x /= 10;
        } while (x != 0);
        if (v < 0 && (--i < 0 || s.charAt(i) != '-')) {
            return false;
        }
        return i == 0;
    }

    public static Pending pending(RecordedEvent e, List<RecordedDirtyRun> runs, Outcome replayed, Outcome against) {
        return new Pending(e, runs, replayed, against);
    }

    /** The recorded bitmap, or null when the row has none (no bitmap runs and no bitmap argument). */
    static PageRuns bitmap(RecordedEvent e, List<RecordedDirtyRun> runs) {
        PageRuns.Builder b = new PageRuns.Builder();
        boolean any = false;
        List<long[]> pieces = new ArrayList<>();
        for (RecordedDirtyRun r : runs) {
            if (!"bitmap".equals(r.source())) {
                continue;
            }
            any = true;
            pieces.add(new long[] {r.firstPage(), r.pageCount(), r.bits()});
        }
        if (!any) {
            return e.ret() != null && e.ret() >= 0 && returnsBitmap(e) ? PageRuns.EMPTY : null;
        }
        pieces.sort((x, y) -> Long.compare(x[0], y[0]));
        for (long[] p : pieces) {
            if (p[2] != 0) {
                b.addWord(p[0], p[2]);
            } else {
                b.add(p[0], p[1]);
            }
        }
        return b.build();
    }

    /** Whether the call hands the kernel a dirty bitmap to fill. */
    static boolean returnsBitmap(RecordedEvent e) {
        String op = e.op();
        if ("IOMMU_HWPT_GET_DIRTY_BITMAP".equals(op)) {
            return true;
        }
        if ("VFIO_DEVICE_FEATURE".equals(op)) {
            return "DMA_LOGGING_REPORT".equals(e.feature()) && e.featureOps() != null
                    && e.featureOps().contains("GET");
        }
        long flags = e.flags() == null ? 0 : e.flags();
        if ("VFIO_IOMMU_DIRTY_PAGES".equals(op)) {
            return (flags & Structs.VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP) != 0;
        }
        if ("VFIO_IOMMU_UNMAP_DMA".equals(op)) {
            return (flags & Structs.VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP) != 0;
        }
        return false;
    }

    /** A column of a call's row that is an outcome value, under the name {@link Outcome#values()} uses. */
    private record ValueColumn(String name, Function<RecordedEvent, Object> of) {
    }

    /** The value columns (besides a v1 register read, in {@code args}). */
    private static final List<ValueColumn> VALUE_COLUMNS = List.of(
            new ValueColumn("to_state", RecordedEvent::toState),
            new ValueColumn("data_fd", RecordedEvent::dataFd),
            new ValueColumn("initial_bytes", RecordedEvent::initialBytes),
            new ValueColumn("dirty_bytes", RecordedEvent::dirtyBytes),
            new ValueColumn("stop_copy_length", RecordedEvent::stopCopyLength));
    private static final Map<String, ValueColumn> VALUE_COLUMN = VALUE_COLUMNS.stream()
            .collect(java.util.stream.Collectors.toUnmodifiableMap(ValueColumn::name, c -> c));

    static Map<String, String> values(RecordedEvent e) {
        if (e.ret() == null || e.ret() < 0) {
            return Map.of();
        }
        Map<String, String> v = new TreeMap<>();
        for (ValueColumn c : VALUE_COLUMNS) {
            Object value = c.of().apply(e);
            if (value != null) {
                v.put(c.name(), value.toString());
            }
        }
        if (("pread64".equals(e.op())) && e.args() != null) {
            JsonNode a = parse(e.args());
            String reg = a.path("register").asText(null);
            JsonNode val = a.path("out").get(reg == null ? "" : reg);
            if (reg != null && val != null && val.isIntegralNumber()) {
                v.put("register." + reg, Long.toString(val.bigIntegerValue().longValue()));
            }
        }
        return v;
    }

    /** Whether replayed value {@code replayed} is what {@link #values} makes of {@code recorded}: its text. */
    private static boolean sameValue(String replayed, Object recorded) {
        return recorded instanceof Number n ? isDecimal(replayed, n.longValue()) : replayed.equals(recorded);
    }

    static JsonNode parse(String args) {
        if (args == null || args.isEmpty()) {
            return MAPPER.createObjectNode();
        }
        try {
            return MAPPER.readTree(args);
        } catch (java.io.IOException ex) {
            return MAPPER.createObjectNode();
        }
    }

    /** One line for the context of a divergence: seq, host, thread, op and the request. */
    public static String line(RecordedEvent e) {
        StringBuilder sb = new StringBuilder();
        sb.append('#').append(e.seq()).append(' ').append(e.host()).append(' ').append(e.op());
        String detail = OutcomeCompare.detail(e);
        if (!detail.isEmpty()) {
            sb.append(' ').append(detail);
        }
        if (e.ret() != null) {
            sb.append(" = ").append(OutcomeCompare.ret(e.ret()));
        }
        return sb.toString();
    }
}
