package org.migtrace.trace.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.migtrace.trace.BadTraceException;
import org.migtrace.trace.Manifest;
import org.migtrace.trace.TraceFormat;

/**
 * Reads and writes {@code manifest.json}. Writes are atomic (a temporary file renamed over the old
 * one), so a reader sees either the manifest written at the start or the final one. Reads check
 * {@code format} before mapping anything else, and ignore keys they do not know.
 */
public final class ManifestIo {

    /** snake_case keys, nulls left out, maps sorted: the same manifest always gives the same bytes. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .build();

    /** {@code "key": value}, two-space indents. */
    private static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter().withSeparators(
            Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER));

    private static final String TEMP = TraceFormat.MANIFEST + ".tmp";

    private ManifestIo() {
    }

    /** Replaces {@code dir/manifest.json} atomically. */
    public static void write(Path dir, Manifest manifest) throws IOException {
        byte[] json = (MAPPER.writer(PRETTY).writeValueAsString(manifest) + "\n")
                .getBytes(StandardCharsets.UTF_8);
        Path temp = dir.resolve(TEMP);
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(json));
            ch.force(true);
        }
        Files.move(temp, dir.resolve(TraceFormat.MANIFEST), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** Reads {@code dir/manifest.json}, format first. */
    public static Manifest read(Path dir) throws BadTraceException, IOException {
        Path file = dir.resolve(TraceFormat.MANIFEST);
        if (!Files.isDirectory(dir)) {
            throw BadTraceException.of(dir, Files.exists(dir) ? "not a trace directory (a trace is a directory with "
                    + TraceFormat.MANIFEST + " and one .arrow file per table)" : "no such trace directory");
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw BadTraceException.of(file, "missing: every trace directory has a manifest");
        } catch (JsonProcessingException e) {
            throw jsonError(file, 0, e);
        } catch (java.io.CharConversionException e) {
            // Jackson took leading zero bytes for UTF-32 and met a code point beyond Unicode
            throw BadTraceException.of(file, "not JSON text (" + e.getMessage() + ")");
        }
        return fromTree(file, 0, tree);
    }

    /**
     * A manifest from parsed JSON (the file, or the first line of a JSON-lines trace): the format is
     * checked before anything else is looked at.
     */
    public static Manifest fromTree(Path source, long line, JsonNode tree) throws BadTraceException {
        if (tree == null || !tree.isObject()) {
            throw error(source, line, "the manifest is not a JSON object");
        }
        JsonNode format = tree.get("format");
        if (format == null || !format.isObject()) {
            throw error(source, line, "no format object: not a migtrace trace manifest (expected {\"format\": {\"name\": \""
                    + TraceFormat.NAME + "\", \"version\": \"" + TraceFormat.version() + "\"}, ...})");
        }
        TraceFormat.check(source, line, text(format.get("name")), text(format.get("version")));
        try {
            return MAPPER.treeToValue(tree, Manifest.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw jsonError(source, line, e);
        }
    }

    private static String keyPath(JsonMappingException m) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : m.getPath()) {
            if (r.getFieldName() != null) {
                sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
            } else {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String text(JsonNode n) {
        return n != null && n.isTextual() ? n.asText() : n == null || n.isNull() ? null : n.toString();
    }

    private static BadTraceException error(Path source, long line, String message) {
        return line > 0 ? BadTraceException.atLine(source, line, message) : BadTraceException.of(source, message);
    }

    /**
     * A JSON error with the line and column Jackson knows (for JSON-lines input, the column within the
     * line), or the key path for a value of the wrong type.
     */
    public static BadTraceException jsonError(Path source, long line, Exception e) {
        String message = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        if (e instanceof ValueInstantiationException v && v.getCause() != null) {
            message = v.getCause().getMessage(); // what a record's constructor refused, without Jackson's class names
        }
        // Jackson appends where an unclosed object started, naming a redacted source: the line says it already
        int marker = message.indexOf(" (start marker at [Source: ");
        if (marker > 0) {
            message = message.substring(0, marker);
        }
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            return error(source, line, "key " + keyPath(m) + ": " + message.lines().findFirst().orElse(message));
        }
        JsonLocation loc = e instanceof JsonProcessingException j ? j.getLocation() : null;
        if (loc != null && loc.getLineNr() > 0) {
            if (line > 0) {
                return BadTraceException.atLine(source, line, "column " + loc.getColumnNr() + ": " + message);
            }
            return BadTraceException.atLine(source, loc.getLineNr(), "column " + loc.getColumnNr() + ": " + message);
        }
        return error(source, line, message);
    }
}
