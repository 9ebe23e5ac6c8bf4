package org.migtrace.recorder.importer.bpftrace.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.migtrace.trace.BadTraceException;

/** The byte-level printf path and Jackson give the same envelopes, wherever the reads split the input. */
class EnvelopeReaderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Hands out at most {@code max} bytes per read, a random number of them. */
    private static InputStream trickle(byte[] bytes, int max, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1 + rnd.nextInt(max)));
            }
        };
    }

    private static List<String> read(byte[] input, int max) throws IOException, BadTraceException {
        List<String> out = new ArrayList<>();
        try (EnvelopeReader r = new EnvelopeReader(trickle(input, max, max), "x.json", () -> { }, new Payload())) {
            Envelope e;
            while ((e = r.next()) != null) {
                out.add(e.line() + " " + e.type() + " " + (e.hasText() ? JSON.writeValueAsString(e.text())
                        : String.valueOf(e.tree())) + " " + e.members());
            }
            out.add("truncated " + r.truncated());
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 300, 1 << 20})
    void everyLineShapeReadsAsJacksonReadsItWhereverTheInputIsSplit(int maxRead) throws Exception {
        String[] lines = {
            "{\"type\": \"attached_probes\", \"data\": {\"probes\": 17}}",
            "{\"type\": \"printf\", \"data\": \"{\\\"ts_ns\\\":1,\\\"thread\\\":\\\"a \\\\\\\"q\\\\\\\" b\\\"}\\n\"}",
            "",
            "{\"type\": \"printf\", \"data\": \"tab\\there \\u00e9\\u20ac \\/ \\b\\f\\r end\"}\r",
            "{\"type\": \"printf\", \"data\": \"raw UTF-8 \u00e9 is Jackson's\"}",
            "{\"type\":\"printf\",\"data\":\"other spacing\"}",
            "{\"type\": \"printf\", \"data\": \"x\"}   ",
            "{\"type\": \"lost_events\", \"data\": {\"events\": 3}}",
            "{\"type\": \"lost_events\", \"count\": \"18446744073709551615\"}",
            "{\"type\": \"map\", \"data\":",
            "  {\"@x\": {\"a\": 1}}}",
            "{\"type\": \"printf\", \"data\": \"" + "y".repeat(70_000) + "\"}",
            "{\"type\": \"printf\", \"data\": \"{\\\"mem\\\":1,\\\"tid\\\":2,\\\"w\\\":\\\"ff,0\\\"}\\n\"} ",
            "{\"type\": \"printf\", \"data\": \"last, cut off",
        };
        byte[] input = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
        List<String> got = read(input, maxRead);

        List<String> want = new ArrayList<>();
        int[] starts = {1, 2, 4, 5, 6, 7, 8, 9, 10, 12, 13};
        String[] objects = {lines[0], lines[1], lines[3], lines[4], lines[5], lines[6], lines[7], lines[8],
            lines[9] + "\n" + lines[10], lines[11], lines[12]};
        for (int i = 0; i < objects.length; i++) {
            JsonNode n = JSON.readTree(objects[i]);
            JsonNode data = n.get("data");
            java.util.Map<String, JsonNode> members = new java.util.LinkedHashMap<>();
            n.fields().forEachRemaining(f -> {
                if (!f.getKey().equals("type") && !f.getKey().equals("data")) {
                    members.put(f.getKey(), f.getValue());
                }
            });
            want.add(starts[i] + " " + n.get("type").asText() + " " + (data != null && data.isTextual()
                    ? JSON.writeValueAsString(data.asText()) : String.valueOf(data)) + " " + members);
        }
        want.add("truncated 14");
        assertThat(got).containsExactlyElementsOf(want);
    }

    @org.junit.jupiter.api.Test
    void printfTextOfEveryKindOfCharacterAtEveryAlignmentReadsBackExactly() throws Exception {
        String palette = "abcXYZ09{}:,\"\\/\n\t\r\b\f\u0000\u0001\u001f\u007f\u00e9\u20ac\ud83d\ude00";
        SplittableRandom rnd = new SplittableRandom(5);
        List<String> texts = new ArrayList<>();
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            StringBuilder t = new StringBuilder();
            int plain = rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(40); // long plain stretches and dense escapes
            for (int k = rnd.nextInt(30); k > 0; k--) {
                t.append("abcdefgh".repeat(plain / 8)).append(palette.charAt(rnd.nextInt(palette.length())));
            }
            String text = t.toString().replace("\ud83d", "").replace("\ude00", "\ud83d\ude00");
            texts.add(text);
            input.append("{\"type\": \"printf\", \"data\": ").append(JSON.writeValueAsString(text)).append("}\n");
        }
        List<String> got = new ArrayList<>();
        try (EnvelopeReader r = new EnvelopeReader(trickle(input.toString().getBytes(StandardCharsets.UTF_8), 1 << 16, 3),
                "x.json", () -> { }, new Payload())) {
            Envelope e;
            while ((e = r.next()) != null) {
                got.add(e.text());
            }
        }
        assertThat(got).containsExactlyElementsOf(texts);
    }

    @org.junit.jupiter.api.Test
    void aLongLineThatIsNotJsonIsRefusedWithoutReadingItAll() {
        byte[] junk = new byte[8 << 20];
        java.util.Arrays.fill(junk, (byte) 'x');
        java.io.ByteArrayOutputStream input = new java.io.ByteArrayOutputStream();
        input.writeBytes("{\"type\": \"printf\", \"data\": \"ok\"}\n".getBytes(StandardCharsets.UTF_8));
        input.writeBytes(junk);
        assertThatThrownBy(() -> read(input.toByteArray(), 1 << 20)).isInstanceOf(BadTraceException.class)
                .hasMessage("x.json:2: not bpftrace JSON output: a line that is not a JSON object (was bpftrace run with"
                        + " -f json?)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Attaching 17 probes...", "[1, 2]", "{\"type\": \"printf\" \"data\": 1}",
        "{\"type\": \"printf\", \"data\": \"bad \\x escape\"}", "{\"a\": 1} {\"b\": 2}"})
    void whatIsNotBpftraceJsonIsRefusedWithItsLine(String bad) {
        byte[] input = ("{\"type\": \"printf\", \"data\": \"ok\"}\n" + bad + "\n{\"type\": \"printf\", \"data\": \"ok\"}\n")
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> read(input, 5)).isInstanceOf(BadTraceException.class)
                .hasMessageStartingWith("x.json:2: ");
    }
}
