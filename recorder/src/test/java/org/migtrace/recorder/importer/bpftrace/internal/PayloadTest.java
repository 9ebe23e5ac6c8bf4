package org.migtrace.recorder.importer.bpftrace.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PayloadTest {

    private static boolean parse(Payload p, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return p.parse(b, b.length);
    }

    private static String call(String in, String ts) {
        return "{\"ts_ns\":" + ts + ",\"t1\":2,\"pid\":1,\"tid\":1,\"op\":\"ioctl\",\"fd\":3,\"k\":1,\"cmd\":15204,\"arg\":0,"
                + "\"ret\":0,\"in\":\"" + in + "\",\"out\":\"0\",\"bitmap\":0,\"bitmap_bytes\":0,\"bitmap_captured\":0,"
                + "\"thread\":\"qemu \u00e9\"}";
    }

    @Test
    void aCallLineReadsItsNumbersWordsAndThread() {
        Payload p = new Payload();
        assertThat(parse(p, call("ffffffffffffffff,1a", "18446744073709551615"))).isTrue();
        assertThat(p.shape).isEqualTo(Payload.Shape.CALL);
        assertThat(p.tsNs).isEqualTo(-1L); // u64 max, as its bit pattern
        assertThat(p.inN).isEqualTo(2);
        assertThat(p.in[0]).isEqualTo(-1L);
        assertThat(p.in[1]).isEqualTo(0x1a);
        assertThat(p.thread).isEqualTo("qemu \u00e9");
    }

    @Test
    void numbersAndWordsWiderThan64BitsAreNotTheScriptsLines() {
        Payload p = new Payload();
        assertThat(parse(p, call("1ffffffffffffffff", "1"))).isFalse();
        assertThat(parse(p, call("0", "18446744073709551616"))).isFalse();
    }

    /**
     * Decimal numbers of every width from 1 to 21 digits, signed or not, followed by each byte that may
     * end one, near the end of the text and far from it: each reads as {@link Long#parseUnsignedLong}
     * (or {@link Long#parseLong}) reads it, and one past 64 bits is not one of the script's lines.
     */
    @Test
    void decimalNumbersReadAsTheirValueAtEveryWidthAndPast64BitsAreRefused() {
        SplittableRandom rnd = new SplittableRandom(5);
        Payload p = new Payload();
        java.math.BigInteger u64 = java.math.BigInteger.ONE.shiftLeft(64);
        for (int i = 0; i < 20000; i++) {
            int width = 1 + rnd.nextInt(21);
            StringBuilder digits = new StringBuilder();
            for (int d = 0; d < width; d++) { // as bpftrace prints them: no leading zero
                digits.append((char) ('0' + (d == 0 && width > 1 ? 1 + rnd.nextInt(9) : rnd.nextInt(10))));
            }
            if (rnd.nextInt(4) == 0) { // the widest values, around 2^64
                digits = new StringBuilder(u64.add(java.math.BigInteger.valueOf(rnd.nextInt(5) - 3)).toString());
            }
            boolean negative = rnd.nextInt(5) == 0;
            String number = (negative ? "-" : "") + digits;
            java.math.BigInteger magnitude = new java.math.BigInteger(digits.toString());
            boolean fits = magnitude.compareTo(u64) < 0;
            String text = rnd.nextBoolean() ? "{\"mem\":4096,\"tid\":" + number + ",\"w\":\"1\"}"
                    : "{\"mem\":4096,\"w\":\"1\",\"tid\":" + number + (rnd.nextBoolean() ? "}" : " }");
            assertThat(parse(p, text)).as(text).isEqualTo(fits);
            if (fits) {
                long bits = magnitude.longValue();
                assertThat(p.tid).as(text).isEqualTo((int) (negative ? -bits : bits));
            }
            String ts = "{\"ts_ns\":" + number + "}";
            boolean read = parse(p, ts.replace("}", ",\"op\":\"close\"}"));
            assertThat(read).as(ts).isEqualTo(fits);
            if (fits) {
                long bits = magnitude.longValue();
                assertThat(p.tsNs).as(ts).isEqualTo(negative ? -bits : bits);
            }
        }
    }

    /**
     * Hex words of every width from none to 18 digits, in either case, now and then with a byte that
     * is not a digit (next to the digits' ranges: '/', ':', '@', 'G', '`', 'g'; a control byte, a letter past ASCII):
     * each list reads as {@link Long#parseUnsignedLong} reads its words, and a list with a word past
     * 16 digits or a stray byte is not one of the script's lines. Plain and escaped forms alike.
     */
    @Test
    void hexWordsReadAsTheirValueAtEveryWidthAndAStrayByteIsRefused() throws Exception {
        ObjectMapper json = new ObjectMapper();
        SplittableRandom rnd = new SplittableRandom(11);
        String stray = "/:@G`g\u0001\u00e9";
        Payload p = new Payload();
        for (int i = 0; i < 20000; i++) {
            int count = rnd.nextInt(10);
            StringBuilder list = new StringBuilder();
            java.util.List<Long> values = new java.util.ArrayList<>();
            boolean valid = true;
            for (int k = 0; k < count; k++) {
                if (k > 0) {
                    list.append(',');
                }
                int width = rnd.nextBoolean() ? rnd.nextInt(19) : 16;
                StringBuilder word = new StringBuilder();
                for (int d = 0; d < width; d++) {
                    char h = Character.forDigit(rnd.nextInt(16), 16);
                    word.append(rnd.nextInt(5) == 0 ? Character.toUpperCase(h) : h);
                }
                if (width > 0 && rnd.nextInt(30) == 0) {
                    int at = rnd.nextInt(width);
                    char s = stray.charAt(rnd.nextInt(stray.length()));
                    word.setCharAt(at, s);
                    valid = false;
                }
                valid &= width <= 16;
                list.append(word);
                if (valid) {
                    values.add(width == 0 ? 0L : Long.parseUnsignedLong(word.toString(), 16));
                }
            }
            String text = "{\"mem\":4096,\"tid\":7,\"w\":\"" + list + "\"}";
            byte[] escaped = ("  " + json.writeValueAsString(text) + "}").getBytes(StandardCharsets.UTF_8);
            for (boolean escapedForm : new boolean[] {false, true}) {
                boolean read = escapedForm ? p.parseEscaped(escaped, 3, escaped.length) >= 0 : parse(p, text);
                if (!valid) {
                    assertThat(read).as(text).isFalse();
                    continue;
                }
                assertThat(read).as(text).isTrue();
                java.util.List<Long> got = new java.util.ArrayList<>();
                for (int k = 0; k < p.wN; k++) {
                    got.add(p.w[k]);
                }
                java.util.List<Long> expected = list.length() == 0 ? java.util.List.of() : values; // "" has no word
                assertThat(got).as(text).isEqualTo(expected.subList(0, Math.min(expected.size(), p.w.length)));
            }
        }
    }

    /** Plain pieces of text first, then every kind of character that needs care. */
    private static final String[] PIECES = {"a", "qemu", "/dev/vfio/", " ", ",", "/", "{", "}", "\"", "\\", "\"}", "\n", "\t",
        "\u0001", "\u00e9", "\u20ac", "\\\"", "\"}\""};
    private static final int PLAIN_PIECES = 7;

    /** A text of random length drawn from {@link #PIECES}; {@code odd[0]} is set when it is not all plain. */
    private static String text(SplittableRandom rnd, boolean[] odd) {
        StringBuilder b = new StringBuilder();
        int n = rnd.nextInt(6);
        for (int i = 0; i < n; i++) {
            int piece = rnd.nextInt(PIECES.length);
            odd[0] |= piece >= PLAIN_PIECES;
            b.append(PIECES[piece]);
        }
        return b.toString();
    }

    /** One of the script's lines with random values and strings; {@code odd[0]} says whether it has a piece that needs care. */
    private static String line(SplittableRandom rnd, boolean[] odd) {
        String thread = rnd.nextInt(3) == 0 ? text(rnd, odd) : "live_migration";
        String object = rnd.nextInt(3) == 0 ? text(rnd, odd) : "/dev/vfio/45";
        String words = rnd.nextInt(4) == 0 ? "ffffffffffffffff,0," + Long.toHexString(rnd.nextLong()) : "1,2";
        String blank = rnd.nextInt(8) == 0 ? " " : "";
        return switch (rnd.nextInt(4)) {
            case 0 -> "{\"mem\":" + rnd.nextLong() + ",\"tid\":" + rnd.nextInt() + ",\"w\":\"" + words + "\"}\n";
            case 1 -> "{\"migtrace\":\"" + (rnd.nextBoolean() ? "start" : text(rnd, odd)) + "\",\"script\":3,\"bitmap_cap\":32768}";
            case 2 -> blank + "{\"ts_ns\":" + rnd.nextLong() + "," + blank + "\"op\":\"openat\",\"ret\":3,\"object\":\"" + object
                    + "\",\"thread\":\"" + thread + "\"}" + blank + "\n";
            default -> {
                boolean junk = rnd.nextInt(4) == 0; // after the object: the unescaped reading ignores it
                odd[0] |= junk;
                yield call(words, Long.toUnsignedString(rnd.nextLong())).replace("qemu \u00e9", thread)
                        + (junk ? "x" : rnd.nextBoolean() ? "\n" : "");
            }
        };
    }

    @Test
    void theEscapedFormReadsAsTheUnescapedTextForEveryLineItTakes() throws Exception {
        ObjectMapper json = new ObjectMapper();
        SplittableRandom rnd = new SplittableRandom(7);
        Payload escapedReading = new Payload();
        Payload textReading = new Payload();
        int taken = 0;
        int plain = 0;
        for (int i = 0; i < 5000; i++) {
            boolean[] odd = {false};
            String text = line(rnd, odd);
            String quoted = json.writeValueAsString(text); // as bpftrace's envelope holds it
            byte[] escaped = ("  " + quoted + "}").getBytes(StandardCharsets.UTF_8);
            int end = escapedReading.parseEscaped(escaped, 3, escaped.length);
            boolean parsed = parse(textReading, text);
            if (parsed && !odd[0]) {
                plain++;
            }
            if (end >= 0) {
                taken++;
                assertThat(end).as(text).isEqualTo(escaped.length - 2);
                assertThat(parsed).as(text).isTrue();
                assertThat(escapedReading.toString()).as(text).isEqualTo(textReading.toString());
            }
        }
        assertThat(taken).as("lines the escaped path took (every plain one)").isGreaterThanOrEqualTo(plain).isGreaterThan(2000);
    }

    /**
     * Keys in any order and any subset, so that the key that followed last time (which the parser
     * tries first, as the whole literal {@code ,"key":}) is often wrong, and often a key that shares
     * its first bytes ({@code bitmap}, {@code bitmap_bytes}, {@code bitmap_captured}; {@code t1},
     * {@code tid}, {@code ts_ns}): every value still lands in its own field, in both forms.
     */
    @Test
    void everyKeyReadsIntoItsOwnFieldWhateverOrderTheLinesBeforeHadTheirKeysIn() throws Exception {
        ObjectMapper json = new ObjectMapper();
        String[] numberKeys = {"ts_ns", "t1", "pid", "tid", "fd", "k", "cmd", "arg", "count", "offset", "ret", "bitmap",
            "bitmap_bytes", "bitmap_captured"};
        SplittableRandom rnd = new SplittableRandom(23);
        Payload p = new Payload(); // one for all lines, as the reader keeps it
        for (int i = 0; i < 4000; i++) {
            java.util.Map<String, Object> values = new java.util.HashMap<>();
            java.util.List<String> parts = new java.util.ArrayList<>();
            for (String key : numberKeys) {
                if (rnd.nextInt(3) > 0) {
                    long v = rnd.nextInt(4) == 0 ? rnd.nextLong() : rnd.nextInt(100_000);
                    values.put(key, v);
                    parts.add("\"" + key + "\":" + v);
                }
            }
            for (String key : new String[] {"in", "out"}) {
                if (rnd.nextBoolean()) {
                    long a = rnd.nextLong();
                    long b = rnd.nextInt(16);
                    values.put(key, java.util.List.of(a, b));
                    parts.add("\"" + key + "\":\"" + Long.toHexString(a) + "," + Long.toHexString(b) + "\"");
                }
            }
            if (rnd.nextBoolean()) {
                parts.add("\"object\":\"/dev/vfio/" + i + "\"");
            }
            parts.add("\"op\":\"" + (rnd.nextBoolean() ? "ioctl" : "read") + "\"");
            java.util.Collections.shuffle(parts, new java.util.Random(rnd.nextLong()));
            String text = "{" + String.join(",", parts) + ",\"thread\":\"qemu\"}";
            byte[] escaped = ("  " + json.writeValueAsString(text) + "}").getBytes(StandardCharsets.UTF_8);
            for (boolean escapedForm : new boolean[] {false, true}) {
                boolean read = escapedForm ? p.parseEscaped(escaped, 3, escaped.length) >= 0 : parse(p, text);
                assertThat(read).as(text).isTrue();
                long[] got = {p.tsNs, p.t1, p.pid, p.tid, p.fd, p.k, p.cmd, p.arg, p.count, p.offset, p.ret, p.bitmap,
                    p.bitmapBytes, p.bitmapCaptured};
                for (int k = 0; k < numberKeys.length; k++) {
                    Object v = values.get(numberKeys[k]);
                    long expected = v == null ? 0 : (Long) v;
                    if (numberKeys[k].matches("pid|tid|fd|k")) {
                        expected = (int) expected;
                    }
                    assertThat(got[k]).as(numberKeys[k] + " of " + text).isEqualTo(expected);
                }
                assertThat(p.inN == 0 ? null : java.util.List.of(p.in[0], p.in[1])).as(text).isEqualTo(values.get("in"));
                assertThat(p.outN == 0 ? null : java.util.List.of(p.out[0], p.out[1])).as(text).isEqualTo(values.get("out"));
                assertThat(p.object).as(text).isEqualTo(text.contains("object") ? "/dev/vfio/" + i : null);
                assertThat(p.op).as(text).isEqualTo(text.contains("ioctl") ? "ioctl" : "read");
                assertThat(p.thread).as(text).isEqualTo("qemu");
            }
        }
        // a key the script does not print, differing from the expected one in its middle bytes only
        String line = call("1", "5");
        assertThat(parse(p, line)).isTrue();
        String odd = line.replace("bitmap_captured", "bitmapxcaptured");
        byte[] escaped = ("  " + json.writeValueAsString(odd) + "}").getBytes(StandardCharsets.UTF_8);
        assertThat(parse(p, odd)).as(odd).isFalse();
        assertThat(parse(p, line)).isTrue();
        assertThat(p.parseEscaped(escaped, 3, escaped.length)).as(odd).isNegative();
    }
}
