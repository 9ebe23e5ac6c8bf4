package org.migtrace.recorder.importer.bpftrace.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PayloadTest {

    private static boolean parse(Payload p, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return p.parse(b, b.length);
    }

    private static String call(String in, String ts) {
        return "{\"ts_ns\":" + ts + ",\"t1\":2,\"pid\":1,\"tid\":1,\"op\":\"ioctl\",\"fd\":3,\"k\":1,\"cmd\":15204,\"arg\":0,"
                + "\"ret\":0,\"in\":\"" + in + "\",\"out\":\"0\",\"bitmap\":0,\"bitmap_bytes\":0,\"bitmap_captured\":0,"
                + "\"thread\":\"qemu \u00e9\"}";
    }

    @Test
    void aCallLineReadsItsNumbersWordsAndThread() {
        Payload p = new Payload();
        assertThat(parse(p, call("ffffffffffffffff,1a", "18446744073709551615"))).isTrue();
        assertThat(p.shape).isEqualTo(Payload.Shape.CALL);
        assertThat(p.tsNs).isEqualTo(-1L); // u64 max, as its bit pattern
        assertThat(p.inN).isEqualTo(2);
        assertThat(p.in[0]).isEqualTo(-1L);
        assertThat(p.in[1]).isEqualTo(0x1a);
        assertThat(p.thread).isEqualTo("qemu \u00e9");
    }

    @Test
    void numbersAndWordsWiderThan64BitsAreNotTheScriptsLines() {
        Payload p = new Payload();
        assertThat(parse(p, call("1ffffffffffffffff", "1"))).isFalse();
        assertThat(parse(p, call("0", "18446744073709551616"))).isFalse();
    }
}
