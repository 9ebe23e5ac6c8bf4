package org.migtrace.recorder.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonTest {
    private static final ObjectMapper JACKSON = new ObjectMapper();

    @Test
    void writesTheBytesJacksonWritesForTheSameMaps() throws Exception {
        Random random = new Random(11);
        for (int i = 0; i < 2000; i++) {
            Map<String, Object> value = map(random, 3);
            assertThat(Json.write(value)).isEqualTo(JACKSON.writeValueAsString(value));
        }
    }

    @Test
    void argsObjectIsTheMapOfInOutAndTheExtraKeys() throws Exception {
        Random random = new Random(12);
        for (int i = 0; i < 500; i++) {
            Map<String, Object> in = random.nextBoolean() ? map(random, 2) : null;
            Map<String, Object> out = random.nextBoolean() ? map(random, 2) : null;
            Map<String, Object> extra = random.nextInt(3) == 0 ? Map.of() : map(random, 1);
            Map<String, Object> whole = new LinkedHashMap<>();
            if (in != null) {
                whole.put("in", in);
            }
            if (out != null) {
                whole.put("out", out);
            }
            whole.putAll(extra);
            String[] keys = extra.keySet().toArray(new String[0]);
            Object[] values = extra.values().toArray();
            assertThat(Json.write(in, out, keys, values, keys.length)).isEqualTo(whole.isEmpty() ? null : JACKSON.writeValueAsString(whole));
        }
    }

    @Test
    void controlCharactersQuotesAndNonAsciiAreEscapedAsJacksonDoes() throws Exception {
        StringBuilder every = new StringBuilder();
        for (char c = 0; c < 0x100; c++) {
            every.append(c);
        }
        every.append("\u20ac\ud83d\ude00\"\\/");
        Map<String, Object> value = Map.of(every.toString(), every.toString());
        assertThat(Json.write(value)).isEqualTo(JACKSON.writeValueAsString(value));
    }

    private static Map<String, Object> map(Random random, int depth) {
        Map<String, Object> m = new LinkedHashMap<>();
        int n = random.nextInt(6);
        for (int i = 0; i < n; i++) {
            m.put(text(random), value(random, depth));
        }
        return m;
    }

    private static Object value(Random random, int depth) {
        return switch (random.nextInt(depth > 0 ? 9 : 7)) {
            case 0 -> random.nextLong();
            case 1 -> (long) random.nextInt(100);
            case 2 -> text(random);
            case 3 -> random.nextBoolean();
            case 4 -> BigInteger.valueOf(random.nextLong()).add(BigInteger.ONE.shiftLeft(64));
            case 5 -> random.nextInt();
            case 6 -> random.nextBoolean() ? null : random.nextDouble();
            case 7 -> map(random, depth - 1);
            default -> {
                List<Object> list = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    list.add(value(random, depth - 1));
                }
                yield list;
            }
        };
    }

    private static String text(Random random) {
        StringBuilder b = new StringBuilder();
        for (int i = random.nextInt(12); i > 0; i--) {
            int kind = random.nextInt(10);
            b.append(kind == 0 ? (char) random.nextInt(0x20) : kind == 1 ? "\"\\".charAt(random.nextInt(2))
                    : kind == 2 ? (char) (0x80 + random.nextInt(0x3000)) : (char) ('a' + random.nextInt(26)));
        }
        return b.toString();
    }
}
