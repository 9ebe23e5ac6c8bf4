package org.migtrace.recorder.importer.bpftrace.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.migtrace.recorder.importer.bpftrace.BpftraceReport;

/**
 * Messages counted by type and text, in the order first seen. Bounded: past {@code max} distinct
 * ones, further new texts are counted under their type as {@code (other texts)}.
 */
final class Messages {
    private final Map<String, long[]> counts = new LinkedHashMap<>();
    private final Map<String, String[]> keys = new LinkedHashMap<>();
    private final int max;

    Messages(int max) {
        this.max = max;
    }

    void add(String type, String text, long line) {
        String key = type + '\0' + text;
        long[] c = counts.get(key);
        if (c == null) {
            if (counts.size() >= max) {
                text = "(other texts)";
                key = type + '\0' + text;
                c = counts.get(key);
            }
            if (c == null) {
                c = new long[] {0, line};
                counts.put(key, c);
                keys.put(key, new String[] {type, text});
            }
        }
        c[0]++;
    }

    List<BpftraceReport.Message> list() {
        List<BpftraceReport.Message> out = new ArrayList<>();
        counts.forEach((k, c) -> out.add(new BpftraceReport.Message(keys.get(k)[0], keys.get(k)[1], c[0], c[1])));
        return out;
    }
}
