package org.migtrace.recorder.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.migtrace.trace.EventColumn;
import org.migtrace.trace.EventRow;

class CallArgsTest {
    @Test
    void extraKeysComeAfterInAndOutInTheOrderFirstSetAndAKeySetAgainKeepsItsPlace() {
        CallArgs c = new CallArgs();
        assertThat(c.json()).isNull();
        c.extra("duration_ns", 5L).extra("region", 2L);
        c.in().put("argsz", 16L);
        for (int i = 0; i < 6; i++) { // past the first few keys
            c.extra("k" + i, (long) i);
        }
        c.extra("duration_ns", 7L);
        assertThat(c.extra("duration_ns")).isEqualTo(7L);
        assertThat(c.extra("k5")).isEqualTo(5L);
        assertThat(c.extra("absent")).isNull();
        assertThat(c.json()).isEqualTo("{\"in\":{\"argsz\":16},\"duration_ns\":7,\"region\":2,"
                + "\"k0\":0,\"k1\":1,\"k2\":2,\"k3\":3,\"k4\":4,\"k5\":5}");
    }

    @Test
    void aClearedInstanceHoldsNothingOfTheCallBefore() {
        CallArgs c = new CallArgs();
        c.column(EventColumn.OP, "VFIO_DEVICE_FEATURE").column(EventColumn.FD, 5).column(EventColumn.COUNT, 9);
        for (int i = 0; i < 10; i++) { // past the first arrays' room
            c.column(EventColumn.values()[i + 10], i);
        }
        c.extra("duration_ns", 5L).in().put("argsz", 16L);
        c.out().put("flags", 1L);
        c.bitmap(new BitmapRequest(4096, 64, 0, 4096));
        c.available(24);

        c.clear();
        assertThat(c.json()).isNull();
        assertThat(c.extra("duration_ns")).isNull();
        assertThat(c.inOrNull()).isNull();
        assertThat(c.outOrNull()).isNull();
        assertThat(c.bitmap()).isNull();
        assertThat(c.available()).isZero();
        assertThat(set(c)).isEmpty();

        c.column(EventColumn.FD, 7).column(EventColumn.OP, "read").extra("region", 2L);
        assertThat(set(c)).containsExactlyInAnyOrder("fd=7", "op=read");
        assertThat(c.json()).isEqualTo("{\"region\":2}");
    }

    /** The columns {@code c} sets on a row, as {@code name=value}. */
    private static List<String> set(CallArgs c) {
        List<String> out = new ArrayList<>();
        c.applyTo(new EventRow() {
            @Override
            public EventRow set(EventColumn column, long value) {
                out.add(column.column() + "=" + value);
                return this;
            }

            @Override
            public EventRow set(EventColumn column, String value) {
                out.add(column.column() + "=" + value);
                return this;
            }

            @Override
            public long commit() {
                throw new UnsupportedOperationException();
            }
        });
        return out;
    }
}
