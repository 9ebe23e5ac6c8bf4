package org.migtrace.sim.scenario.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Where each value of a scenario document starts, by field path ({@code devices[1].group}), so that
 * a problem found after binding (a record rejecting a value, two devices contradicting each other)
 * can still be reported at its line and column. Built by one streaming pass over the text; a
 * scenario is a few hundred tokens.
 */
public final class LocationIndex {
    private final Map<String, JsonLocation> starts = new HashMap<>();
    private final Map<String, JsonLocation> keys = new HashMap<>();

    private LocationIndex() {
    }

    /**
     * Indexes {@code text}. A document the parser rejects is indexed up to the error; the binding
     * pass reports the error itself.
     */
    public static LocationIndex of(JsonFactory factory, String text) {
        LocationIndex index = new LocationIndex();
        try (JsonParser p = factory.createParser(text)) {
            index.scan(p);
        } catch (IOException e) {
            // keep what was indexed; ObjectMapper reports the syntax error with its location
        }
        return index;
    }

    private void scan(JsonParser p) throws IOException {
        Deque<String> containers = new ArrayDeque<>(); // path of each open container
        Deque<int[]> indices = new ArrayDeque<>();     // next element index, for arrays; null marker {-1} for objects
        String pendingField = null;
        JsonToken t;
        while ((t = p.nextToken()) != null) {
            if (t == JsonToken.FIELD_NAME) {
                pendingField = p.currentName();
                String parent = containers.peek();
                keys.putIfAbsent(parent.isEmpty() ? pendingField : parent + "." + pendingField,
                        p.currentTokenLocation());
                continue;
            }
            if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                containers.pop();
                indices.pop();
                continue;
            }
            String parent = containers.isEmpty() ? null : containers.peek();
            String path;
            if (parent == null) {
                path = "";
            } else if (indices.peek()[0] >= 0) {
                path = parent + "[" + indices.peek()[0]++ + "]";
            } else {
                path = parent.isEmpty() ? pendingField : parent + "." + pendingField;
            }
            starts.putIfAbsent(path, p.currentTokenLocation());
            if (t == JsonToken.START_OBJECT) {
                containers.push(path);
                indices.push(new int[] {-1});
            } else if (t == JsonToken.START_ARRAY) {
                containers.push(path);
                indices.push(new int[] {0});
            }
        }
    }

    /**
     * Where the value at {@code path} starts; for a path the document does not have (a defaulted
     * field), where its nearest written parent starts; null if nothing was indexed.
     */
    public JsonLocation find(String path) {
        String p = path;
        while (true) {
            JsonLocation loc = starts.get(p);
            if (loc != null || p.isEmpty()) {
                return loc;
            }
            p = parentOf(p);
        }
    }

    /** Where the key of the mapping entry at {@code path} is written, or null. */
    public JsonLocation findKey(String path) {
        return keys.get(path);
    }

    /** {@code a.b[2].c} → {@code a.b[2]} → {@code a.b} → {@code a} → "". */
    static String parentOf(String path) {
        int dot = path.lastIndexOf('.');
        int bracket = path.lastIndexOf('[');
        int cut = Math.max(dot, bracket);
        return cut < 0 ? "" : path.substring(0, cut);
    }
}
