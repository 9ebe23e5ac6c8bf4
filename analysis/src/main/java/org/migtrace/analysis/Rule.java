package org.migtrace.analysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One protocol rule of the catalog (docs/rules.md): a named {@code .sql} query under
 * {@code rules/} whose header comment gives its stable id, severity, one line of meaning and the
 * uAPI rule it comes from. Each query returns the findings as rows of {@code seq, ts_ns, host,
 * device, detail}; the {@code violations} view is their union with the rule's id and severity.
 *
 * @param file     the resource name under rules/
 * @param id       the stable id (never reused for another meaning)
 * @param severity error (the kernel refuses it or data is lost), warning (legal but harmful or
 *                 suspicious), info (a conclusion is uncertain)
 * @param meaning  one line
 * @param source   the uAPI rule: header, comment or kernel function it comes from
 * @param sql      the query
 */
public record Rule(String file, String id, String severity, String meaning, String source, String sql) {

    /** The catalog in its documented order (rules/index lists the files); parsed once. */
    public static List<Rule> catalog() {
        return Catalog.RULES;
    }

    /** Holds the parsed catalog: every load, view fingerprint and report reads it. */
    private static final class Catalog {
        static final List<Rule> RULES = load();
    }

    private static List<Rule> load() {
        List<Rule> out = new ArrayList<>();
        for (String line : View.Sql.read("rules/index").split("\n")) {
            String f = line.strip();
            if (!f.isEmpty() && !f.startsWith("#")) {
                out.add(parse(f, View.Sql.read("rules/" + f)));
            }
        }
        return List.copyOf(out);
    }

    /** The keys a rule's header comment may hold; any other "word:" continues the field before it. */
    private static final List<String> HEADER_KEYS = List.of("id", "severity", "meaning", "source", "inputs", "outputs");

    static Rule parse(String file, String text) {
        Map<String, String> header = new LinkedHashMap<>();
        String lastKey = null;
        for (String line : text.split("\n")) {
            if (!line.startsWith("--")) {
                break;
            }
            String body = line.substring(2).strip();
            int colon = body.indexOf(':');
            String key = colon > 0 ? body.substring(0, colon) : null;
            // only the header's own keys start a field: a continuation line may begin "succeeded: ..."
            if (key != null && HEADER_KEYS.contains(key.toLowerCase(java.util.Locale.ROOT))) {
                key = key.toLowerCase(java.util.Locale.ROOT);
                lastKey = key;
                header.put(key, body.substring(colon + 1).strip());
            } else if (lastKey != null && !body.isEmpty()) {
                header.merge(lastKey, body, (a, b) -> a + " " + b);
            }
        }
        for (String k : List.of("id", "severity", "meaning", "source")) {
            if (!header.containsKey(k)) {
                throw new IllegalStateException("rules/" + file + " lacks the header line -- " + k + ":");
            }
        }
        return new Rule(file, header.get("id"), header.get("severity"), header.get("meaning"),
                header.get("source"), text);
    }

    /** The {@code violations} view: every rule's findings with its id and severity, in seq order. */
    static String unionSql() {
        StringBuilder b = new StringBuilder();
        for (Rule r : catalog()) {
            if (b.length() > 0) {
                b.append("\nUNION ALL\n");
            }
            b.append("SELECT '").append(r.id()).append("' AS rule_id, '").append(r.severity())
                    .append("' AS severity, seq::BIGINT AS seq, ts_ns::BIGINT AS ts_ns, host::VARCHAR AS host,")
                    .append(" device::VARCHAR AS device, detail::VARCHAR AS detail FROM (\n")
                    .append(stripComments(r.sql())).append("\n)");
        }
        if (b.length() == 0) {
            return "SELECT NULL::VARCHAR AS rule_id WHERE false";
        }
        return "SELECT * FROM (" + b + ") ORDER BY seq, rule_id";
    }

    private static String stripComments(String sql) {
        StringBuilder b = new StringBuilder();
        for (String line : sql.split("\n")) {
            if (!line.strip().startsWith("--")) {
                b.append(line).append('\n');
            }
        }
        String s = b.toString().strip();
        return s.endsWith(";") ? s.substring(0, s.length() - 1) : s;
    }
}
