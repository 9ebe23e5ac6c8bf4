package org.migtrace.analysis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.migtrace.trace.JsonlImport;

/**
 * Small traces written as JSON lines in a test and imported with {@link JsonlImport}: the quickest
 * way to a trace that keeps or breaks exactly one thing. Events get consecutive seq numbers from 0
 * in the order they are added.
 */
final class HandTrace {

    private final List<String> lines = new ArrayList<>();
    private long nextSeq;

    private HandTrace(String manifest) {
        lines.add(manifest);
    }

    /** A trace of one v2 device {@code 0000:3b:00.1} on host src with the given manifest extras. */
    static HandTrace v2(String extra) {
        return new HandTrace("{\"format\": {\"name\": \"migtrace-trace\", \"version\": \"2.0\"}, \"source\": {\"kind\": \"jsonl\","
                + " \"tool\": \"test\"}, \"hosts\": [{\"name\": \"src\"}], \"page_size\": 4096, \"devices\": [{\"host\": \"src\","
                + " \"name\": \"0000:3b:00.1\", \"protocol\": \"v2\", \"features\": [\"STOP_COPY\", \"P2P\", \"PRE_COPY\"],"
                + " \"iommu_backend\": \"type1\"}]" + (extra.isEmpty() ? "" : ", " + extra) + ", \"complete\": true}");
    }

    /** Adds an event (JSON object members without braces, no seq); returns its seq. */
    long event(String members) {
        lines.add("{" + members + "}");
        return nextSeq++;
    }

    /** A syscall on host src by the migration thread at {@code ts}. */
    long syscall(long ts, String members) {
        return event("\"ts_ns\": " + ts + ", \"host\": \"src\", \"pid\": 1, \"tid\": 2, \"thread\": \"live_migration\","
                + " \"actor\": \"vmm\", \"kind\": \"syscall\", " + members);
    }

    /** A MIG_DEVICE_STATE SET that succeeded, with the kernel's state rows for its arcs. */
    long setState(long ts, String device, String... arcs) {
        String to = arcs[arcs.length - 1];
        long seq = syscall(ts, "\"op\": \"VFIO_DEVICE_FEATURE\", \"fd\": 9, \"fd_kind\": \"DEVICE\", \"device\": \"" + device
                + "\", \"feature\": \"MIG_DEVICE_STATE\", \"feature_ops\": \"SET\", \"requested_state\": \"" + to
                + "\", \"to_state\": \"" + to + "\", \"ret\": 0");
        for (int i = 0; i + 1 < arcs.length; i++) {
            state(ts, device, arcs[i], arcs[i + 1], seq);
        }
        return seq;
    }

    long state(long ts, String device, String from, String to, long syscallSeq) {
        return event("\"ts_ns\": " + ts + ", \"host\": \"src\", \"actor\": \"kernel\", \"kind\": \"state\", \"op\": \"DEVICE_STATE\","
                + " \"device\": \"" + device + "\", \"from_state\": \"" + from + "\", \"to_state\": \"" + to
                + "\", \"args\": \"{\\\"cause\\\":\\\"arc\\\",\\\"syscall_seq\\\":" + syscallSeq + "}\"");
    }

    /** An iteration event and its iterations row (members after seq, ts_ns and host). */
    long iteration(long ts, String row) {
        long seq = event("\"ts_ns\": " + ts + ", \"host\": \"src\", \"actor\": \"migration\", \"kind\": \"migration\","
                + " \"op\": \"ITERATION\"");
        lines.add("{\"table\": \"iterations\", \"seq\": " + seq + ", \"ts_ns\": " + ts + ", \"host\": \"src\", " + row + "}");
        return seq;
    }

    Path write(Path dir, String name) throws IOException {
        Path jsonl = dir.resolve(name + ".jsonl");
        Files.write(jsonl, lines);
        Path trace = dir.resolve(name);
        try {
            JsonlImport.toTrace(jsonl, trace);
        } catch (org.migtrace.trace.BadTraceException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        return trace;
    }
}
