package org.migtrace.benchmarks.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One benchmark's result as JMH's JSON result file ({@code -rf json}) gives it: the class, the
 * method, the parameters, the mode ({@code avgt}, {@code thrpt}, {@code ss}) and the primary
 * metric with its 99.9 % error ({@code NaN} when one iteration cannot give one).
 */
public record Score(String benchmark, String method, Map<String, String> params, String mode, double score,
                    double error, String unit) {

    /** Every score in one JMH JSON result file. */
    public static List<Score> read(Path json) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json.toFile());
        } catch (IOException e) {
            throw new IOException(json + ": not a JMH JSON result: " + e.getMessage(), e);
        }
        if (root == null || !root.isArray()) {
            throw new IOException(json + ": not a JMH JSON result (expected an array of benchmarks)");
        }
        List<Score> scores = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            scores.add(of(json, i, root.get(i)));
        }
        return scores;
    }

    private static Score of(Path json, int index, JsonNode b) throws IOException {
        JsonNode metric = b.path("primaryMetric");
        String name = b.path("benchmark").asText("");
        int dot = name.lastIndexOf('.');
        if (dot < 0 || !metric.path("score").isNumber()) {
            throw new IOException(json + ": benchmark [" + index + "]: no benchmark name or primaryMetric.score");
        }
        Map<String, String> params = new TreeMap<>();
        b.path("params").fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
        String cls = name.substring(0, dot);
        return new Score(cls.substring(cls.lastIndexOf('.') + 1), name.substring(dot + 1), params,
                b.path("mode").asText(), metric.path("score").asDouble(), number(metric.path("scoreError")),
                metric.path("scoreUnit").asText());
    }

    /** JMH writes a missing error as the string "NaN". */
    private static double number(JsonNode n) {
        return n.isNumber() ? n.asDouble() : Double.NaN;
    }

    /** {@code Class.method}. */
    public String name() {
        return benchmark + "." + method;
    }
}
