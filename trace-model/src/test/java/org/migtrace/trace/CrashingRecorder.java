package org.migtrace.trace;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A recorder process for the kill -9 tests: {@code CrashingRecorder DIR EVENTS BATCH_ROWS MODE}. Mode
 * {@code flush-then-wait} writes the sample, flushes, prints {@code flushed N} and waits on stdin
 * for the kill; mode {@code write-forever} prints {@code started} and writes the sample again and
 * again (seq and ts continuing), flushing every 100 events, until killed.
 */
public final class CrashingRecorder {

    private CrashingRecorder() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int events = Integer.parseInt(args[1]);
        int batchRows = Integer.parseInt(args[2]);
        SampleTrace sample = SampleTrace.of(events);
        TraceWriter w = TraceWriter.create(dir, sample.start(), new TraceWriter.Options(batchRows));
        if (args[3].equals("flush-then-wait")) {
            sample.appendTo(w);
            w.flush();
            System.out.println("flushed " + events);
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return;
        }
        System.out.println("started");
        System.out.flush();
        long n = 0;
        while (true) {
            w.event().set(EventColumn.TS_NS, n).set(EventColumn.ACTOR, "vmm").set(EventColumn.KIND, "syscall")
                    .set(EventColumn.OP, "read").set(EventColumn.COUNT, n).set(EventColumn.ARGS, "{\"n\":" + n + "}")
                    .commit();
            w.dirtyRun(n, DirtySource.BITMAP, 4096, n, 1);
            if (++n % 100 == 0) {
                w.flush();
            }
        }
    }
}
