package org.migtrace.recorder.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * The {@code args} column's JSON: compact, keys in insertion order (deterministic). Written on a
 * streaming generator kept per thread (one args value a row, millions of rows): the bytes are
 * Jackson's, without a serializer lookup and a new generator per value.
 */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ThreadLocal<Out> OUT = ThreadLocal.withInitial(Out::new);

    /** A generator writing into a reusable buffer. */
    private static final class Out {
        final StringWriter text = new StringWriter(256);
        final JsonGenerator gen;

        Out() {
            try {
                gen = MAPPER.getFactory().createGenerator(text);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            gen.setRootValueSeparator(null);
        }
    }

    private Json() {
    }

    /** {@code value} as compact JSON; null for null. */
    public static String write(Map<String, ?> value) {
        if (value == null) {
            return null;
        }
        Out out = OUT.get();
        out.text.getBuffer().setLength(0);
        try {
            value(out.gen, value);
            out.gen.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("args not serializable: " + value, e); // a StringWriter does not fail
        }
        return out.text.toString();
    }

    private static void value(JsonGenerator gen, Object v) throws IOException {
        if (v instanceof Map<?, ?> m) {
            gen.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                gen.writeFieldName(String.valueOf(e.getKey()));
                value(gen, e.getValue());
            }
            gen.writeEndObject();
        } else if (v instanceof String s) {
            gen.writeString(s);
        } else if (v instanceof Long l) {
            gen.writeNumber(l);
        } else if (v instanceof Integer i) {
            gen.writeNumber(i);
        } else if (v instanceof Boolean b) {
            gen.writeBoolean(b);
        } else if (v instanceof BigInteger b) {
            gen.writeNumber(b);
        } else if (v instanceof List<?> list) {
            gen.writeStartArray();
            for (Object o : list) {
                value(gen, o);
            }
            gen.writeEndArray();
        } else {
            MAPPER.writeValue(gen, v); // anything else as Jackson writes it
        }
    }
}
