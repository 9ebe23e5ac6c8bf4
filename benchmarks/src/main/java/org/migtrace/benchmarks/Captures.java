package org.migtrace.benchmarks;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.migtrace.recorder.CaptureLines;

/**
 * Realistic bpftrace captures for the import benchmarks, and deleting the benchmarks' temporary directories.
 * {@code java -cp benchmarks/target/benchmarks.jar org.migtrace.benchmarks.Captures FILE LINES}
 * writes one (to profile an import by hand).
 */
public final class Captures {
    private Captures() {
    }

    public static void main(String[] args) throws Exception {
        try (OutputStream out = Files.newOutputStream(Path.of(args[0]))) {
            repeated("nic-converges").write(out, Long.parseLong(args[1]));
        }
    }

    /**
     * A long migration's capture: the printf lines of {@code scenario}'s capture ({@link CaptureLines})
     * repeated with their timestamps moved on by the capture's span each time, between one
     * {@code attached_probes} line, the script's start line and its end line.
     */
    static Repeated repeated(String scenario) throws Exception {
        return new Repeated(CaptureLines.of(scenario));
    }

    /** See {@link #repeated(String)}. */
    static final class Repeated {
        private final CaptureLines capture;

        private Repeated(CaptureLines capture) {
            this.capture = capture;
        }

        /**
         * Writes the whole capture with {@code lines} printf lines (plus the three around them) to
         * {@code out}, the same bytes every time; it stops after a call's line, never between a call's
         * memory lines and its call line, so it may write a few lines more. Returns how many lines it
         * wrote in all.
         */
        long write(OutputStream sink, long lines) throws IOException {
            OutputStream out = new BufferedOutputStream(sink, 1 << 16);
            long span = capture.span();
            capture.rewind();
            long written = capture.writeHead(out);
            written += capture.write(out, lines, (ts, round, n) -> ts + round * span);
            written += capture.writeTail(out);
            out.flush();
            return written;
        }
    }
}
