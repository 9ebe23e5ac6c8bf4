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

    static final String DEV = "0000:3b:00.1";
    static final String DEV2 = "0000:3b:00.2";

    /** A trace of one v2 device {@link #DEV} on host src with the given manifest extras. */
    static HandTrace v2(String extra) {
        return of(List.of(device(DEV, "v2", "\"STOP_COPY\", \"P2P\", \"PRE_COPY\"")), extra);
    }

    /** Two v2 devices with P2P on host src. */
    static HandTrace twoDevices() {
        String all = "\"STOP_COPY\", \"P2P\", \"PRE_COPY\"";
        return of(List.of(device(DEV, "v2", all), device(DEV2, "v2", all)), "");
    }

    /** One v1 device {@link #DEV} on host src. */
    static HandTrace v1() {
        return of(List.of(device(DEV, "v1", "")), "");
    }

    static String device(String name, String protocol, String features) {
        return "{\"host\": \"src\", \"name\": \"" + name + "\", \"protocol\": \"" + protocol + "\", \"features\": ["
                + features + "], \"iommu_backend\": \"type1\"}";
    }

    static HandTrace of(List<String> devices, String extra) {
        return new HandTrace("{\"format\": {\"name\": \"migtrace-trace\", \"version\": \"2.0\"}, \"source\": {\"kind\": \"jsonl\","
                + " \"tool\": \"test\"}, \"hosts\": [{\"name\": \"src\"}], \"page_size\": 4096, \"devices\": ["
                + String.join(", ", devices) + "]" + (extra.isEmpty() ? "" : ", " + extra) + ", \"complete\": true}");
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

    /**
     * A MIG_DEVICE_STATE SET that succeeded, with the kernel's state rows for its arcs; a SET to a
     * saving state returns data fd 11, to RESUMING data fd 12.
     */
    long setState(long ts, String device, String... arcs) {
        String to = arcs[arcs.length - 1];
        int dataFd = to.equals("RESUMING") ? 12 : to.equals("PRE_COPY") || to.equals("STOP_COPY") ? 11 : -1;
        if (arcs.length > 1 && (arcs[0].equals("PRE_COPY") || arcs[0].equals("PRE_COPY_P2P")) && to.equals("STOP_COPY")) {
            dataFd = -1; // the pre-copy fd goes on into STOP_COPY
        }
        long seq = syscall(ts, "\"op\": \"VFIO_DEVICE_FEATURE\", \"fd\": 9, \"fd_kind\": \"DEVICE\", \"device\": \"" + device
                + "\", \"feature\": \"MIG_DEVICE_STATE\", \"feature_ops\": \"SET\", \"requested_state\": \"" + to
                + "\", \"to_state\": \"" + to + "\", \"data_fd\": " + dataFd + ", \"ret\": 0");
        for (int i = 0; i + 1 < arcs.length; i++) {
            state(ts, device, arcs[i], arcs[i + 1], seq);
        }
        return seq;
    }

    /** A MIG_DEVICE_STATE SET that failed with {@code errno} ({@code number}); no state changes. */
    long failedSet(long ts, String device, String to, String errno, int number) {
        return syscall(ts, "\"op\": \"VFIO_DEVICE_FEATURE\", \"fd\": 9, \"fd_kind\": \"DEVICE\", \"device\": \"" + device
                + "\", \"feature\": \"MIG_DEVICE_STATE\", \"feature_ops\": \"SET\", \"requested_state\": \"" + to
                + "\", \"ret\": " + (-number) + ", \"errno\": \"" + errno + "\", \"errno_num\": " + number);
    }

    /** A read of {@code count} bytes on data fd {@code fd} of {@code device}. */
    long readData(long ts, String device, int fd) {
        return syscall(ts, "\"op\": \"read\", \"fd\": " + fd + ", \"fd_kind\": \"MIG_DATA\", \"device\": \"" + device
                + "\", \"count\": 1048576, \"ret\": 1048576");
    }

    /** A device DMA write of {@code pages} pages from IOVA page {@code firstPage}. */
    long dmaWrite(long ts, String device, long firstPage, long pages) {
        return event("\"ts_ns\": " + ts + ", \"host\": \"src\", \"actor\": \"device_dma\", \"kind\": \"write\", \"op\": \"DMA_WRITE\","
                + " \"device\": \"" + device + "\", \"length\": " + pages * 4096 + ", \"count\": 1, \"dirty_runs\": [{\"source\":"
                + " \"dma_write\", \"page_size\": 4096, \"first_page\": " + firstPage + ", \"page_count\": " + pages + "}]");
    }

    /** A VFIO_DEVICE_FEATURE on {@code device} with {@code feature} and ops, succeeded. */
    long feature(long ts, String device, String feature, String ops) {
        return syscall(ts, "\"op\": \"VFIO_DEVICE_FEATURE\", \"fd\": 9, \"fd_kind\": \"DEVICE\", \"device\": \"" + device
                + "\", \"feature\": \"" + feature + "\", \"feature_ops\": \"" + ops + "\", \"page_size\": 4096, \"ret\": 0");
    }

    /** A migration driver step ({@code SETUP}, ...). */
    long migration(long ts, String op) {
        return event("\"ts_ns\": " + ts + ", \"host\": \"src\", \"actor\": \"migration\", \"kind\": \"migration\", \"op\": \""
                + op + "\"");
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
