package org.migtrace.benchmarks.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The generated figures of docs/performance.md from a results directory: JMH's JSON files and the
 * {@code run.txt} the runner writes next to them (profile, machine, date, how long the run took).
 */
final class Figures {
    static final String SECTION = "bench-figures";
    static final String RUN_INFO = "run.txt";

    private Figures() {
    }

    /** Records how the results in {@code results} were made. */
    static void writeRunInfo(Path results, Plan.Profile profile, String date, double seconds) throws IOException {
        Map<String, String> info = new TreeMap<>();
        info.put("date", date);
        info.put("machine", Machine.describe());
        info.put("profile", profile.name().toLowerCase(java.util.Locale.ROOT));
        info.put("seconds", Targets.fmt("%.0f", seconds));
        Files.write(results.resolve(RUN_INFO), info.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
    }

    /** The section's Markdown. */
    static String markdown(Path results) throws IOException {
        Map<String, String> info = readRunInfo(results);
        List<Score> scores = scores(results);
        StringBuilder b = new StringBuilder();
        b.append(Targets.fmt("Measured %s with `bin/migtrace-bench%s` (the whole run %.1f min) on %s.%n%n",
                info.get("date"), info.get("profile").equals("full") ? "" : " --" + info.get("profile"),
                Double.parseDouble(info.get("seconds")) / 60, info.get("machine")));
        b.append("| target | measured | baseline, same run | ratio | goal | met |\n|---|---|---|---:|---|---|\n");
        for (Targets.Row r : Targets.of(scores)) {
            b.append(Targets.fmt("| %s | %s | %s | %s | %s | %s |%n", r.target(), r.measured(), r.baseline(), r.ratio(),
                    r.goal(), r.met() ? "**yes**" : "no"));
        }
        b.append("\nEvery score of the run:\n\n| benchmark | parameters | mode | score |\n|---|---|---|---:|\n");
        for (Score s : scores) {
            b.append(Targets.fmt("| `%s` | %s | %s | %s |%n", s.name(), params(s.params()), s.mode(), Targets.ms(s)));
        }
        return b.toString();
    }

    private static String params(Map<String, String> params) {
        // the analyze trace's directory is the run's scratch space, not a parameter of the figure
        return params.entrySet().stream().filter(e -> !e.getValue().isEmpty() && !e.getKey().equals("trace"))
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }

    /** Every score in the directory's JSON files, the files in name order. */
    static List<Score> scores(Path results) throws IOException {
        List<Score> scores = new ArrayList<>();
        try (Stream<Path> files = Files.list(results)) {
            for (Path json : files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList()) {
                scores.addAll(Score.read(json));
            }
        }
        if (scores.isEmpty()) {
            throw new IOException(results + ": no JMH JSON results (*.json)");
        }
        return scores;
    }

    private static Map<String, String> readRunInfo(Path results) throws IOException {
        Path file = results.resolve(RUN_INFO);
        if (!Files.exists(file)) {
            throw new IOException(file + ": missing: the results were not written by bin/migtrace-bench");
        }
        Map<String, String> info = new TreeMap<>();
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            int eq = lines.get(i).indexOf('=');
            if (eq < 0) {
                throw new IOException(file + ":" + (i + 1) + ": expected key=value");
            }
            info.put(lines.get(i).substring(0, eq), lines.get(i).substring(eq + 1));
        }
        for (String key : List.of("date", "machine", "profile", "seconds")) {
            if (!info.containsKey(key)) {
                throw new IOException(file + ": no '" + key + "='");
            }
        }
        return info;
    }
}
