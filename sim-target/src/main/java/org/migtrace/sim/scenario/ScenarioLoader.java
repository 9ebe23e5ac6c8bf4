package org.migtrace.sim.scenario;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.migtrace.sim.scenario.internal.LocationIndex;
import org.migtrace.sim.scenario.internal.ScenarioModule;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads scenarios from YAML or JSON files and from the built-in set. Every problem with the input is
 * a {@link ScenarioException} naming the file, the line and column, and the field.
 */
public final class ScenarioLoader {
    /** Where built-in scenarios live on the class path. */
    public static final String RESOURCE_DIR = "scenarios/";

    /** The built-in scenarios, by name (each is {@code scenarios/<name>.yaml}). */
    public static final List<String> BUILT_IN = List.of(
            "nic-converges",
            "gpu-no-converge",
            "vf-no-dirty-tracking",
            "two-devices-p2p",
            "v1-legacy",
            "iommufd-hugepages",
            "tiny-1tib");

    private static final ObjectMapper YAML = mapper(YAMLFactory.builder().build());
    private static final ObjectMapper JSON = mapper(JsonFactory.builder().build());

    private ScenarioLoader() {
    }

    private static ObjectMapper mapper(JsonFactory factory) {
        factory.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        ObjectMapper m = new ObjectMapper(factory);
        m.registerModule(new ScenarioModule());
        m.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        m.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        m.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        m.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        return m;
    }

    /** Reads {@code file}: JSON if its name ends in {@code .json}, YAML otherwise. */
    public static Scenario load(Path file) throws ScenarioException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ScenarioException(file.toString(), 0, 0, "", "cannot read: " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    /** A built-in scenario, or a file when {@code nameOrPath} is not a built-in name. */
    public static Scenario resolve(String nameOrPath) throws ScenarioException {
        return BUILT_IN.contains(nameOrPath) ? builtIn(nameOrPath) : load(Path.of(nameOrPath));
    }

    /** Built-in scenarios parsed so far, by name: a scenario is immutable, so one instance serves every caller. */
    private static final Map<String, Scenario> PARSED = new ConcurrentHashMap<>();

    /**
     * The built-in scenario {@code name}, parsed once per JVM: every replay of a simulated trace
     * configures its reference target from one (two for {@code --against}), and parsing the YAML
     * each time put the YAML parser's work, and its compilation, into every replay.
     */
    public static Scenario builtIn(String name) throws ScenarioException {
        Scenario parsed = PARSED.get(name);
        if (parsed == null) {
            parsed = parseBuiltIn(name);
            PARSED.putIfAbsent(name, parsed);
        }
        return parsed;
    }

    private static Scenario parseBuiltIn(String name) throws ScenarioException {
        String resource = RESOURCE_DIR + name + ".yaml";
        if (!BUILT_IN.contains(name)) {
            throw new ScenarioException(resource, 0, 0, "", "no built-in scenario '" + name + "' (built in: "
                    + String.join(", ", BUILT_IN) + ")", null);
        }
        try (InputStream in = ScenarioLoader.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("built-in scenario " + resource + " is missing from the class path");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource);
        } catch (IOException e) {
            throw new ScenarioException(resource, 0, 0, "", "cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * Parses scenario {@code text}; {@code source} names it in messages and picks the syntax (JSON
     * if it ends in {@code .json}, YAML otherwise).
     */
    public static Scenario parse(String text, String source) throws ScenarioException {
        if (text.isBlank()) {
            throw new ScenarioException(source, 0, 0, "", "empty scenario (expected a mapping with name and guest)",
                    null);
        }
        ObjectMapper mapper = source.toLowerCase(Locale.ROOT).endsWith(".json") ? JSON : YAML;
        LocationIndex index = LocationIndex.of(mapper.getFactory(), text);
        Scenario s;
        try {
            s = mapper.readValue(text, Scenario.class);
        } catch (JsonProcessingException e) {
            throw translate(e, index, source);
        } catch (InvalidFieldException e) {
            throw at(index, source, e.field(), e.problem(), null, e);
        }
        if (s == null) {
            throw new ScenarioException(source, 0, 0, "", "empty scenario (expected a mapping with name and guest)",
                    null);
        }
        return s;
    }

    private static ScenarioException translate(JsonProcessingException e, LocationIndex index, String source) {
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c instanceof MarkedYAMLException y) {
                return yamlSyntax(source, y, e);
            }
        }
        if (!(e instanceof JsonMappingException m)) {
            return at(index, source, "", e.getOriginalMessage(), e.getLocation(), e);
        }
        String path = path(m.getPath());
        for (Throwable c = m.getCause(); c != null; c = c.getCause()) {
            if (c instanceof InvalidFieldException f) {
                return at(index, source, f.under(path).field(), f.problem(), null, e);
            }
        }
        if (m instanceof UnrecognizedPropertyException u) {
            return at(index, source, path, "unknown field '" + u.getPropertyName() + "' (known fields: "
                    + known(u.getKnownPropertyIds()) + ")", index.findKey(path), e);
        }
        if (m instanceof MismatchedInputException mi && mi.getTargetType() != null) {
            // Jackson's own messages for numbers and booleans name Java types; ours (units,
            // labels) already say what was expected.
            String problem = m instanceof InvalidFormatException && !basic(mi.getTargetType())
                    ? mi.getOriginalMessage() : "expected " + expected(mi.getTargetType());
            return at(index, source, path, problem, mi.getLocation(), e);
        }
        return at(index, source, path, m.getOriginalMessage(), m.getLocation(), e);
    }

    /** SnakeYAML's syntax errors, on one line, at the problem's position. */
    private static ScenarioException yamlSyntax(String source, MarkedYAMLException y, Throwable cause) {
        Mark mark = y.getProblemMark() != null ? y.getProblemMark() : y.getContextMark();
        String problem = y.getProblem() == null ? "YAML syntax error" : y.getProblem().strip();
        if (y.getContext() != null) {
            Mark c = y.getContextMark();
            problem = y.getContext().strip() + (c == null ? "" : " (line " + (c.getLine() + 1) + ")") + ": " + problem;
        }
        return new ScenarioException(source, mark == null ? 0 : mark.getLine() + 1,
                mark == null ? 0 : mark.getColumn() + 1, "", problem, cause);
    }

    /** The problem at {@code field}: located at its own token if known, else where the index puts it. */
    private static ScenarioException at(LocationIndex index, String source, String field, String problem,
                                        JsonLocation token, Throwable cause) {
        JsonLocation loc = token != null && token.getLineNr() > 0 ? token : index.find(field);
        int line = loc == null ? 0 : Math.max(0, loc.getLineNr());
        int col = loc == null ? 0 : Math.max(0, loc.getColumnNr());
        return new ScenarioException(source, line, col, field, problem, cause);
    }

    private static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                if (b.length() > 0) {
                    b.append('.');
                }
                b.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    private static String known(Collection<Object> ids) {
        TreeSet<String> names = new TreeSet<>();
        if (ids != null) {
            ids.forEach(id -> names.add(String.valueOf(id)));
        }
        return String.join(", ", names);
    }

    private static boolean basic(Class<?> type) {
        return type.isPrimitive() || Number.class.isAssignableFrom(type) || type == Boolean.class;
    }

    private static String expected(Class<?> type) {
        if (type == Integer.class || type == Long.class || type == int.class || type == long.class) {
            return "a whole number";
        }
        if (type == Double.class || type == double.class || type == java.math.BigDecimal.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a text value";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (type.isRecord()) {
            return "a mapping (" + type.getSimpleName() + ")";
        }
        return "a " + type.getSimpleName();
    }
}
