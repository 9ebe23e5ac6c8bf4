package org.migtrace.recorder.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

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
}
