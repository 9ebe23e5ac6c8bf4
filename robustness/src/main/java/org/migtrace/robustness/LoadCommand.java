package org.migtrace.robustness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.migtrace.recorder.Dirs;

/**
 * {@code java -cp ... org.migtrace.robustness.LoadCommand [--keep] [RATE [SECONDS [SCENARIO [MIGTRACE...]]]]}:
 * runs {@link LiveLoad} (default: 1,000,000 lines/s for 30 s of nic-converges' capture into
 * {@code bin/migtrace}) and prints its report; exits 1 when the trace lacks events or the consumer
 * failed. The trace (about 9 GB for the default run) is deleted once counted, unless {@code --keep}.
 * docs/bad-input.md says how to build and run it.
 */
public final class LoadCommand {
    private LoadCommand() {
    }

    public static void main(String[] argv) throws Exception {
        boolean keep = argv.length > 0 && argv[0].equals("--keep");
        List<String> args = Arrays.asList(argv).subList(keep ? 1 : 0, argv.length);
        long rate = args.size() > 0 ? Long.parseLong(args.get(0).replace("_", "")) : 1_000_000;
        double seconds = args.size() > 1 ? Double.parseDouble(args.get(1)) : 30;
        String scenario = args.size() > 2 ? args.get(2) : "nic-converges";
        List<String> consumer = args.size() > 3 ? args.subList(3, args.size()) : List.of("bin/migtrace");
        Path dir = Files.createTempDirectory("migtrace-live-load");
        Path trace = dir.resolve("trace");
        boolean ok;
        try {
            LiveLoad.Result r = LiveLoad.run(new LiveLoad.Settings(rate, seconds, scenario, consumer), trace);
            System.out.print(report(r));
            LiveLoad.Landed landed = LiveLoad.landed(r);
            System.out.println(landed.describe());
            ok = r.exit() == 0 && landed.all();
        } finally {
            if (keep) {
                System.out.println("trace kept: " + trace);
            } else {
                Dirs.delete(dir);
            }
        }
        System.exit(ok ? 0 : 1);
    }

    /** The report a person reads: rate asked and achieved, lag, memory over the run. */
    static String report(LiveLoad.Result r) {
        StringBuilder b = new StringBuilder();
        LiveLoad.Settings s = r.settings();
        b.append(String.format(Locale.ROOT, "asked %,d lines/s for %.0f s; wrote %,d lines (%,d calls) in %.1f s: %,.0f lines/s"
                + "; consumer finished %.1f s after the last line, exit %d%n", s.linesPerSecond(), s.seconds(), r.lines(),
                r.calls(), r.seconds(), r.linesPerSecond(), r.finishSeconds(), r.exit()));
        b.append(String.format(Locale.ROOT, "lag (lines due, not yet taken by the consumer): max %,d (%.2f s of input)%n",
                r.maxLag(), r.maxLag() / (double) s.linesPerSecond()));
        b.append("  second   written       lag   RSS MiB\n");
        for (LiveLoad.Sample x : r.samples()) {
            b.append(String.format(Locale.ROOT, "  %6.1f %,9d %,9d %9.1f%n", x.seconds(), x.written(), x.lag(),
                    x.rssKiB() / 1024.0));
        }
        List<Long> heap = r.heapAfterGcKiB();
        if (!heap.isEmpty()) {
            int half = heap.size() / 2;
            b.append(String.format(Locale.ROOT, "heap after GC (%d collections): max %.1f MiB in the first half, %.1f MiB"
                    + " in the second%n", heap.size(), maxMiB(heap.subList(0, half)), maxMiB(heap.subList(half, heap.size()))));
        }
        return b.toString();
    }

    private static double maxMiB(List<Long> kib) {
        return kib.stream().mapToLong(Long::longValue).max().orElse(0) / 1024.0;
    }
}
