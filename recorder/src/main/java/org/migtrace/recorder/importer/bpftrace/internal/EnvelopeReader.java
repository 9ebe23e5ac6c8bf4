package org.migtrace.recorder.importer.bpftrace.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import org.migtrace.trace.BadTraceException;

/**
 * Reads {@code bpftrace -f json} output one top-level object at a time with Jackson's streaming
 * parser: no tree per line (only the few lines whose {@code data} is an object, such as maps and
 * lost events, get one), the printf text copied into one reused buffer. Objects are normally one
 * per line; blank lines are skipped.
 *
 * <p>Input that is not such objects is refused with {@link BadTraceException} naming the line. One
 * exception: input that ends in the middle of an object (a capture killed while bpftrace was
 * writing its last line) ends the reading; {@link #truncated()} then says so and the line.
 */
public final class EnvelopeReader implements Closeable {
    private static final JsonFactory FACTORY = new ObjectMapper().getFactory();

    private final JsonParser parser;
    private final InputStream in;
    private final Path source;
    private final Envelope envelope = new Envelope();
    private long truncatedAt;
    private long lines;
    private boolean inObject;

    public EnvelopeReader(InputStream in, String sourceName) throws IOException {
        this.in = in;
        this.parser = FACTORY.createParser(in);
        this.source = Path.of(sourceName);
    }

    /** The next object, or null at the end of the input (or at a cut-off last line). */
    public Envelope next() throws BadTraceException, IOException {
        try {
            JsonToken t = parser.nextToken();
            if (t == null) {
                return null;
            }
            long line = parser.currentTokenLocation().getLineNr();
            lines = line;
            if (t != JsonToken.START_OBJECT) {
                throw BadTraceException.atLine(source, line, "not bpftrace JSON output: expected an object like "
                        + "{\"type\": \"printf\", ...}, found " + describe(t) + " (was bpftrace run with -f json?)");
            }
            envelope.reset(line);
            inObject = true;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken v = parser.nextToken();
                switch (name) {
                    case "type" -> envelope.type = v == JsonToken.VALUE_STRING ? parser.getText() : null;
                    case "data" -> {
                        if (v == JsonToken.VALUE_STRING) {
                            envelope.text(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
                        } else {
                            envelope.tree = parser.readValueAsTree();
                        }
                    }
                    default -> envelope.members.put(name, parser.readValueAsTree());
                }
            }
            inObject = false;
            return envelope;
        } catch (JsonEOFException e) {
            truncatedAt = e.getLocation() == null ? lines : Math.max(lines, e.getLocation().getLineNr());
            return null;
        } catch (JsonParseException e) {
            long line = e.getLocation() == null ? lines : e.getLocation().getLineNr();
            if (inObject && restIsBlank()) {
                truncatedAt = line; // the last line, cut off and then ended with a newline
                return null;
            }
            throw BadTraceException.atLine(source, line, "not bpftrace JSON output: " + e.getOriginalMessage());
        } catch (StreamReadException e) {
            long line = e.getLocation() == null ? lines : e.getLocation().getLineNr();
            throw BadTraceException.atLine(source, line, "unreadable bpftrace JSON: " + e.getOriginalMessage());
        }
    }

    /** Whether nothing but blanks follows the parser's position (what it buffered, then the stream). */
    private boolean restIsBlank() throws IOException {
        java.io.ByteArrayOutputStream buffered = new java.io.ByteArrayOutputStream();
        parser.releaseBuffered(buffered);
        for (byte b : buffered.toByteArray()) {
            if (!Character.isWhitespace(b)) {
                return false;
            }
        }
        byte[] chunk = new byte[8192];
        int n;
        while ((n = in.read(chunk)) > 0) {
            for (int i = 0; i < n; i++) {
                if (!Character.isWhitespace(chunk[i])) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The line of an object the input ended in the middle of, or 0 when it ended cleanly. */
    public long truncated() {
        return truncatedAt;
    }

    private String describe(JsonToken t) throws IOException {
        return switch (t) {
            case VALUE_STRING -> "a string";
            case START_ARRAY -> "an array";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number " + parser.getText();
            default -> parser.getText();
        };
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
