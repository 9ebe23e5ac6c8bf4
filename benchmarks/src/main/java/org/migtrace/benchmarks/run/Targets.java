package org.migtrace.benchmarks.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The targets the issues set, each computed from one run's scores as a ratio against its baseline
 * measured in the same run (or, where the issue names a rate, against that rate).
 */
public final class Targets {

    /** The rate issues 4 and 5 ask of the live capture and of replay. */
    static final double MILLION_PER_S = 1_000_000;

    /**
     * One target's figure.
     *
     * @param target   what the issue asks, with the number
     * @param measured the measured side, in its unit
     * @param baseline the baseline of the same run, in its unit
     * @param ratio    measured against baseline, as the goal states it
     * @param goal     the goal
     * @param met      whether the figure meets the goal
     */
    public record Row(String target, String measured, String baseline, String ratio, String goal, boolean met) {
    }

    private final List<Score> scores;
    private final List<Row> rows = new ArrayList<>();

    private Targets(List<Score> scores) {
        this.scores = scores;
    }

    /** The rows whose benchmarks are in {@code scores}, in the issues' order. */
    public static List<Row> of(List<Score> scores) {
        Targets t = new Targets(scores);
        t.dirtyBitmap();
        t.recording();
        t.bpftraceImport();
        t.liveCapture();
        t.replay();
        t.analyze();
        return t.rows;
    }

    private void dirtyBitmap() {
        for (Score get : find("DirtyBitmapBenchmark", "pinnedScopeDenseGetOnly")) {
            same(get, "DirtyBitmapBenchmark", "arraycopyBaseline").ifPresent(copy -> {
                double speed = copy.score() / get.score();
                rows.add(new Row("issue 2: dirty-bitmap GET_BITMAP (every page dirty) over "
                        + gib(get.params().get("guestBytes")) + " vs a `long[]` copy of its size",
                        ms(get), "copy " + ms(copy), pct(speed) + " of the copy's speed", "≥ 50 %", speed >= 0.5));
            });
        }
    }

    private void recording() {
        for (Score rec : find("RecorderBenchmark", "simulateAndRecord")) {
            Optional<Score> sim = same(rec, "RecorderBenchmark", "simulateOnly");
            Optional<Score> raw = same(rec, "RecorderBenchmark", "rawArrowSameRows");
            if (sim.isPresent() && raw.isPresent()) {
                double recording = rec.score() - sim.get().score();
                double speed = raw.get().score() / recording;
                String scenario = rec.params().getOrDefault("scenario", "a scenario");
                rows.add(new Row("issue 3: recording `" + scenario + "` vs raw Arrow writes of the same rows",
                        fmt("%.1f ms (record %s − simulate %s)", recording, ms(rec), ms(sim.get())),
                        "raw Arrow " + ms(raw.get()), pct(speed) + " of the raw rate", "≥ 50 %", speed >= 0.5));
            }
        }
    }

    private void bpftraceImport() {
        for (Score imp : find("BpftraceImportBenchmark", "migtraceImport")) {
            same(imp, "BpftraceImportBenchmark", "duckdbReadNdjsonFromJson").ifPresent(duck -> {
                double speed = duck.score() / imp.score();
                rows.add(new Row("issue 4: `import bpftrace` of " + count(imp.params().get("lines"))
                        + " lines vs DuckDB `read_ndjson` + `from_json`", ms(imp), "DuckDB " + ms(duck),
                        pct(speed) + " of DuckDB's speed", "≥ 100 %", speed >= 1));
            });
        }
    }

    private void liveCapture() {
        for (Score live : find("LiveCaptureBenchmark", "pipeIntoTrace")) {
            double lines = Double.parseDouble(live.params().get("lines"));
            double rate = lines / (live.score() / 1000);
            rows.add(new Row("issue 4: live capture through a pipe, " + count(live.params().get("lines")) + " lines",
                    fmt("%,.0f k lines/s (%s)", rate / 1000, ms(live)), "1 M lines/s", pct(rate / MILLION_PER_S),
                    "≥ 100 %", rate >= MILLION_PER_S));
        }
    }

    private void replay() {
        for (Score replay : find("ReplayBenchmark", "replayTrace")) {
            String floor = same(replay, "ReplayBenchmark", "readOnly")
                    .map(r -> "; reading alone " + perS(r)).orElse("")
                    + same(replay, "ReplayBenchmark", "applyOnly").map(r -> ", the target alone " + perS(r)).orElse("");
            rows.add(new Row("issue 5: replay of ioctl events on `kernel` (events read ahead on a second thread)", perS(replay),
                    "1 M events/s" + floor, pct(replay.score() / MILLION_PER_S), "≥ 100 %",
                    replay.score() >= MILLION_PER_S));
        }
    }

    private void analyze() {
        for (Score analyze : find("AnalyzeBenchmark", "analyze")) {
            same(analyze, "AnalyzeBenchmark", "duckdbLoadAndCount").ifPresent(load -> {
                double ratio = analyze.score() / load.score();
                rows.add(new Row("issue 6: `analyze` of " + count(analyze.params().get("events"))
                        + " events vs DuckDB load + count", ms(analyze), "DuckDB " + ms(load),
                        fmt("%.2f× its time", ratio), "≤ 2×", ratio <= 2));
            });
        }
    }

    private List<Score> find(String benchmark, String method) {
        return scores.stream().filter(s -> s.benchmark().equals(benchmark) && s.method().equals(method)).toList();
    }

    /** The baseline measured with the same parameters. */
    private Optional<Score> same(Score of, String benchmark, String method) {
        return find(benchmark, method).stream().filter(s -> s.params().equals(of.params())).findFirst();
    }

    static String ms(Score s) {
        String unit = s.unit().replace("/op", "");
        return Double.isNaN(s.error()) ? fmt("%,.2f %s", s.score(), unit)
                : fmt("%,.2f ± %,.2f %s", s.score(), s.error(), unit);
    }

    private static String perS(Score s) {
        return fmt("%,.0f k events/s", s.score() / 1000);
    }

    private static String pct(double ratio) {
        return fmt("%.0f %%", ratio * 100);
    }

    private static String gib(String bytes) {
        long b = Long.parseLong(bytes);
        return b >= 1L << 40 ? fmt("%d TiB", b >> 40) : fmt("%d GiB", b >> 30);
    }

    private static String count(String n) {
        return fmt("%,d", Long.parseLong(n));
    }

    static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
