package org.migtrace.recorder.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/** The {@code args} column's JSON: compact, keys in insertion order (deterministic). */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** {@code value} as compact JSON; null for null. */
    public static String write(Map<String, ?> value) {
        if (value == null) {
            return null;
        }
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            // maps of strings, numbers, booleans, lists and maps always serialize
            throw new IllegalStateException("args not serializable: " + value, e);
        }
    }
}
