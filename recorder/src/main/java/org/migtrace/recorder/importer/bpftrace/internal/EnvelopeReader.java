package org.migtrace.recorder.importer.bpftrace.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.CharConversionException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.migtrace.trace.BadTraceException;

/**
 * Reads {@code bpftrace -f json} output one top-level object at a time. bpftrace writes one object
 * per line, and nearly every line is {@code {"type": "printf", "data": "..."}}: such a line is read
 * at the byte level, its string unescaped straight into the envelope's reused buffer. Every other
 * line (lost events, maps, errors, another spacing, non-ASCII text) goes to Jackson, which builds a
 * tree only for a {@code data} that is not a string; an object spread over several lines is read
 * whole. The fast path takes exactly the lines Jackson would read the same way and hands anything
 * else on, so both give the same envelopes. Given a {@link Payload}, the reader first tries it on
 * the printf line's text as it stands, still escaped: the capture script's lines are parsed in that
 * one pass, and their text is unescaped only if someone asks for it.
 *
 * <p>Input that is not such objects is refused with {@link BadTraceException} naming the line. One
 * exception: input that ends in the middle of an object (a capture killed while bpftrace was
 * writing its last line) ends the reading; {@link #truncated()} then says so and the line.
 */
public final class EnvelopeReader implements Closeable {
    private static final JsonFactory FACTORY = new ObjectMapper().getFactory();
    private static final byte[] PRINTF = "{\"type\": \"printf\", \"data\": \"".getBytes(StandardCharsets.US_ASCII);
    /** An object may not grow past this many bytes (bpftrace's are far smaller): memory stays bounded. */
    private static final int MAX_OBJECT = 64 << 20;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final InputStream in;
    private final Path source;
    private final Envelope envelope = new Envelope();
    private final Runnable beforeBlockingRead;
    private final Payload direct;
    private byte[] buf = new byte[1 << 18];
    private int pos;
    private int limit;
    private boolean eof;
    private int lineStart;
    private int lineEnd;
    private long lines;
    private long truncatedAt;

    /**
     * {@code beforeBlockingRead} runs before every read of {@code in} that may block: when
     * {@link InputStream#available()} says no byte is waiting (an empty pipe, or a stream that cannot
     * tell); a read of bytes already waiting does not run it. Printf
     * lines are parsed by {@code direct} from their escaped text when it takes them
     * ({@link Envelope#payloadParsed}).
     */
    public EnvelopeReader(InputStream in, String sourceName, Runnable beforeBlockingRead, Payload direct) {
        this.in = in;
        this.source = Path.of(sourceName);
        this.beforeBlockingRead = beforeBlockingRead;
        this.direct = java.util.Objects.requireNonNull(direct);
    }

    /** The next object, or null at the end of the input (or at a cut-off last line). */
    public Envelope next() throws BadTraceException, IOException {
        while (true) {
            int end = direct(pos, limit); // the script's line, whole in the buffer: parsed where it stands
            int newline = end < 0 ? -1 : newlineAfterBlanks(end, limit);
            if (newline >= 0) {
                takeLine(newline);
                return parsedEnvelope();
            }
            end = printf(pos, limit); // another printf line, whole in the buffer: one pass over its bytes
            newline = end < 0 ? -1 : newlineAfterBlanks(end, limit);
            if (newline >= 0) {
                takeLine(newline);
                return printfEnvelope();
            }
            if (!nextLine()) {
                return null;
            }
            if (blank(lineStart, lineEnd)) {
                continue;
            }
            end = direct(lineStart, lineEnd);
            if (end >= 0 && blank(end, lineEnd)) {
                return parsedEnvelope();
            }
            end = printf(lineStart, lineEnd);
            if (end >= 0 && blank(end, lineEnd)) {
                return printfEnvelope();
            }
            return slow();
        }
    }

    /** The line from {@code pos} to {@code newline} is the current one; reading goes on after it. */
    private void takeLine(int newline) {
        lineStart = pos;
        lineEnd = newline;
        pos = newline + 1;
        lines++;
    }

    /** The envelope of the script's printf line just read: its payload parsed, its text left escaped. */
    private Envelope parsedEnvelope() {
        envelope.reset(lines);
        envelope.type = "printf";
        envelope.hasText = true;
        envelope.payloadParsed = true;
        envelope.unescaper = this;
        return envelope;
    }

    /**
     * Parses {@code {"type": "printf", "data": "<one of the script's lines>"}} from {@code from} with
     * the {@link #direct} payload, the text as it stands; returns the index after the closing brace,
     * or -1 for anything else (the payload then judges the unescaped text).
     */
    private int direct(int from, int to) {
        if (!startsWith(PRINTF, from, to)) {
            return -1;
        }
        int close = direct.parseEscaped(buf, from + PRINTF.length, to);
        return close >= 0 && close + 1 < to && buf[close + 1] == '}' ? close + 2 : -1;
    }

    private boolean startsWith(byte[] prefix, int from, int to) {
        int n = prefix.length;
        return to - from >= n + 2 && Arrays.equals(buf, from, from + n, prefix, 0, n);
    }

    /** Unescapes the current line's printf text into the envelope (it was parsed without). */
    void unescapeCurrent() {
        if (printf(lineStart, lineEnd) < 0) {
            throw new IllegalStateException("line " + lines + ": parsed, yet not a printf line");
        }
    }

    /** The envelope of the printf line just read ({@link #printf} left its text in place). */
    private Envelope printfEnvelope() {
        int length = envelope.textLength;
        envelope.reset(lines);
        envelope.type = "printf";
        envelope.textLength = length;
        envelope.hasText = true;
        return envelope;
    }

    /** The index of the newline after nothing but blanks from {@code from}, or -1 (another byte, or none before {@code to}). */
    private int newlineAfterBlanks(int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = buf[i];
            if (b == '\n') {
                return i;
            }
            if (b != ' ' && b != '\t' && b != '\r') {
                return -1;
            }
        }
        return -1;
    }

    /** The line of an object the input ended in the middle of, or 0 when it ended cleanly. */
    public long truncated() {
        return truncatedAt;
    }

    /** Moves to the next line ([lineStart, lineEnd), without its newline); false at the end of the input. */
    private boolean nextLine() throws BadTraceException, IOException {
        int scan = pos;
        while (true) {
            for (int i = scan; i < limit; i++) {
                if (buf[i] == '\n') {
                    takeLine(i);
                    return true;
                }
            }
            int scanned = limit - pos; // fill() may move the line to the buffer's start
            if (eof || !fill()) {
                if (pos == limit) {
                    return false;
                }
                lineStart = pos; // a last line without its newline
                lineEnd = limit;
                pos = limit;
                lines++;
                return true;
            }
            scan = pos + scanned;
        }
    }

    /** Reads more input after {@code limit}, compacting or growing the buffer; false at the end. */
    private boolean fill() throws BadTraceException, IOException {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        if (limit == buf.length) {
            if (!startsAnObject(pos, limit)) { // a long line of something else (binary, text): say so now
                throw BadTraceException.atLine(source, lines + 1, "not bpftrace JSON output: a line that is not a JSON"
                        + " object (was bpftrace run with -f json?)");
            }
            if (buf.length >= MAX_OBJECT) {
                throw BadTraceException.atLine(source, lines + 1, "not bpftrace JSON output: a line longer than "
                        + MAX_OBJECT + " bytes");
            }
            buf = java.util.Arrays.copyOf(buf, buf.length * 2);
        }
        if (in.available() == 0) {
            beforeBlockingRead.run();
        }
        int n = in.read(buf, limit, buf.length - limit);
        if (n < 0) {
            eof = true;
            return false;
        }
        limit += n;
        return true;
    }

    /** Whether the first byte that is not blank in {@code [from, to)} opens an object (or there is none). */
    private boolean startsAnObject(int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = buf[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return b == '{';
            }
        }
        return true;
    }

    private boolean blank(int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = buf[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads {@code {"type": "printf", "data": "ASCII text"}} from {@code from} on: the text unescaped
     * into the envelope's buffer ({@code textLength} set); returns the index after the closing
     * brace, or -1 for anything else — including escapes or bytes only a full JSON parser should
     * judge, and a line that does not end before {@code to}. Plain stretches are found eight bytes
     * at a time and copied whole.
     */
    private int printf(int from, int to) {
        if (!startsWith(PRINTF, from, to)) {
            return -1;
        }
        int i = from + PRINTF.length;
        if (envelope.text.length < to - i) { // the text is never longer than its escaped form
            envelope.text = new byte[Math.max(to - i, envelope.text.length * 2)];
        }
        byte[] out = envelope.text;
        int o = 0;
        while (true) {
            int plain = i;
            while (i + Long.BYTES <= to && !special((long) LONGS.get(buf, i))) {
                i += Long.BYTES;
            }
            while (i < to && buf[i] >= 0x20 && buf[i] != '"' && buf[i] != '\\') {
                i++;
            }
            System.arraycopy(buf, plain, out, o, i - plain);
            o += i - plain;
            if (i >= to) {
                return -1;
            }
            int b = buf[i];
            if (b == '"') {
                break;
            }
            if (b != '\\' || i + 1 >= to) { // a control byte (or, negative, a non-ASCII one): Jackson's to judge
                return -1;
            }
            int e = buf[i + 1];
            byte ch;
            switch (e) {
                case '"' -> ch = '"';
                case '\\' -> ch = '\\';
                case '/' -> ch = '/';
                case 'n' -> ch = '\n';
                case 't' -> ch = '\t';
                case 'r' -> ch = '\r';
                case 'b' -> ch = '\b';
                case 'f' -> ch = '\f';
                case 'u' -> {
                    int v = i + 6 <= to ? hex4(i + 2) : -1;
                    if (v < 0 || v >= 0x80) { // not ASCII: Jackson's to turn into UTF-8
                        return -1;
                    }
                    out[o++] = (byte) v;
                    i += 6;
                    continue;
                }
                default -> {
                    return -1;
                }
            }
            out[o++] = ch;
            i += 2;
        }
        i++;
        if (i >= to || buf[i] != '}') {
            return -1;
        }
        envelope.textLength = o;
        return i + 1;
    }

    /** Whether one of the 8 bytes of {@code x} is a quote, a backslash, a control byte or not ASCII. */
    private static boolean special(long x) {
        long quote = x ^ 0x2222222222222222L;
        long backslash = x ^ 0x5C5C5C5C5C5C5C5CL;
        long zeroQuote = (quote - 0x0101010101010101L) & ~quote;
        long zeroBackslash = (backslash - 0x0101010101010101L) & ~backslash;
        long belowSpace = x - 0x2020202020202020L;
        return ((zeroQuote | zeroBackslash | belowSpace | x) & 0x8080808080808080L) != 0;
    }

    private int hex4(int at) {
        int v = 0;
        for (int k = 0; k < 4; k++) {
            int d = Character.digit(buf[at + k], 16);
            if (d < 0) {
                return -1;
            }
            v = v << 4 | d;
        }
        return v;
    }

    /**
     * The object starting on the current line, read by Jackson; when it goes on past the line, the
     * following lines are added until it ends (or the input does: a cut-off last object).
     */
    private Envelope slow() throws BadTraceException, IOException {
        long first = lines;
        ByteArrayOutputStream more = null;
        byte[] bytes = buf;
        int from = lineStart;
        int to = lineEnd;
        while (true) {
            try (JsonParser parser = FACTORY.createParser(bytes, from, to - from)) {
                readObject(parser, first);
                if (parser.nextToken() != null) {
                    throw BadTraceException.atLine(source, first + parser.currentTokenLocation().getLineNr() - 1,
                            "not bpftrace JSON output: more than one object on a line");
                }
                return envelope;
            } catch (JsonEOFException e) {
                if (more == null) {
                    more = new ByteArrayOutputStream();
                    more.write(buf, lineStart, lineEnd - lineStart);
                }
                if (!nextLine()) {
                    truncatedAt = first;
                    return null;
                }
                if (more.size() + (lineEnd - lineStart) > MAX_OBJECT) {
                    throw BadTraceException.atLine(source, first, "not bpftrace JSON output: an object longer than "
                            + MAX_OBJECT + " bytes");
                }
                more.write('\n');
                more.write(buf, lineStart, lineEnd - lineStart);
                bytes = more.toByteArray();
                from = 0;
                to = bytes.length;
            } catch (JsonParseException e) {
                throw BadTraceException.atLine(source, lineOf(e, first),
                        "not bpftrace JSON output: " + e.getOriginalMessage());
            } catch (StreamReadException e) {
                throw BadTraceException.atLine(source, lineOf(e, first), "unreadable bpftrace JSON: " + e.getOriginalMessage());
            } catch (CharConversionException e) {
                // Jackson guesses the encoding from a line's first bytes (JSON may be UTF-16 or -32); bpftrace
                // writes UTF-8, so a line that looks like another encoding is not bpftrace output.
                throw BadTraceException.atLine(source, first, "not bpftrace JSON output: not UTF-8 text: "
                        + e.getMessage());
            }
        }
    }

    private static long lineOf(StreamReadException e, long first) {
        return e.getLocation() == null ? first : first + Math.max(1, e.getLocation().getLineNr()) - 1;
    }

    private void readObject(JsonParser parser, long line) throws BadTraceException, IOException {
        JsonToken t = parser.nextToken();
        if (t != JsonToken.START_OBJECT) {
            throw BadTraceException.atLine(source, line, "not bpftrace JSON output: expected an object like "
                    + "{\"type\": \"printf\", ...}, found " + describe(parser, t) + " (was bpftrace run with -f json?)");
        }
        envelope.reset(line);
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
    }

    private static String describe(JsonParser parser, JsonToken t) throws IOException {
        if (t == null) {
            return "nothing";
        }
        return switch (t) {
            case VALUE_STRING -> "a string";
            case START_ARRAY -> "an array";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number " + parser.getText();
            default -> parser.getText();
        };
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
