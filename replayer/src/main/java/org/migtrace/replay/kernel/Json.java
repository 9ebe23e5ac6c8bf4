package org.migtrace.replay.kernel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;
import org.migtrace.replay.spi.BadStimulusException;

/** Reading a recorded row's {@code args} JSON: members by C name, numbers as the recorder wrote them. */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /**
     * Parsed {@code args} by their text: a VMM repeats the same call with the same arguments
     * (state GETs, PRECOPY_INFO, region infos), so most parses are found here. Bounded; emptied when
     * full. The nodes are only read.
     */
    private static final Map<String, JsonNode> CACHE = new ConcurrentHashMap<>();
    private static final int CACHE_MAX = 4096;

    /** The parsed {@code args}, or a missing node when there are none. */
    static JsonNode parse(String args) {
        if (args == null || args.isEmpty()) {
            return MissingNode.getInstance();
        }
        JsonNode hit = CACHE.get(args);
        if (hit != null) {
            return hit;
        }
        try {
            JsonNode n = MAPPER.readTree(args);
            if (CACHE.size() >= CACHE_MAX) {
                CACHE.clear(); // another replay may add meanwhile: the bound is loose, not broken
            }
            CACHE.put(args, n);
            return n;
        } catch (JsonProcessingException e) {
            throw new BadStimulusException("args is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * The member at {@code path} ({@code bitmap.pgsize} looks in {@code bitmap}, or a flat key of that
     * name) as a u64 bit pattern: a JSON integer (unsigned ones past 2^63 too) or a {@code "0x..."}
     * string; {@code dflt} when absent.
     */
    static long num(JsonNode node, String path, long dflt) {
        JsonNode n = node.get(path);
        if (n == null) {
            int dot = path.indexOf('.');
            if (dot > 0) {
                JsonNode inner = node.get(path.substring(0, dot));
                return inner == null ? dflt : num(inner, path.substring(dot + 1), dflt);
            }
            return dflt;
        }
        if (n.isInt() || n.isLong()) {
            return n.longValue();
        }
        if (n.isIntegralNumber()) {
            return n.bigIntegerValue().longValue(); // past 2^63: the u64's bit pattern
        }
        if (n.isTextual()) {
            String s = n.asText();
            if (s.startsWith("0x") || s.startsWith("0X")) {
                return Long.parseUnsignedLong(s.substring(2), 16);
            }
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                return dflt;
            }
        }
        return dflt;
    }

    static boolean has(JsonNode node, String path) {
        return num(node, path, Long.MIN_VALUE) != Long.MIN_VALUE || node.has(path);
    }
}
