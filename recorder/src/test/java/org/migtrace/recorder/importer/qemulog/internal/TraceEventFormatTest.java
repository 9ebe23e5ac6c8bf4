package org.migtrace.recorder.importer.qemulog.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TraceEventFormatTest {

    private static String[] match(String declared, String text) {
        TraceEventFormat f = TraceEventFormat.compile(TraceEventFormat.expand(declared));
        String[] values = new String[f.conversions()];
        return f.match(text, values) ? values : null;
    }

    @Test
    void literalsAndPriMacrosExpandAsThePreprocessorDoes() {
        assertThat(TraceEventFormat.expand("\" (%s) precopy %\"PRIu64\" stopcopy size 0x%\"PRIx64"))
                .isEqualTo(" (%s) precopy %lu stopcopy size 0x%lx");
        assertThat(TraceEventFormat.expand("\"exact pending size %\" PRIu64 \" (pre = %\" PRId64 \")\""))
                .isEqualTo("exact pending size %lu (pre = %ld)");
        assertThat(TraceEventFormat.expand("\"Region \\\"%s\\\" iova\"")).isEqualTo("Region \"%s\" iova");
        assertThat(TraceEventFormat.expand("\"\"")).isEmpty();
    }

    @Test
    void anUnknownMacroIsRefused() {
        assertThatThrownBy(() -> TraceEventFormat.expand("\"%\" PRIq64")).hasMessageContaining("PRIq64");
    }

    @Test
    void decimalHexAndSignedValuesAreReadAsPrinted() {
        assertThat(match("\" (%s) precopy %\"PRIu64\" postcopy 0x%\"PRIx64\" ret %d\"",
                " (0000:3b:00.1) precopy 500000000 postcopy 0x1e00000 ret -22"))
                .containsExactly("0000:3b:00.1", "500000000", "1e00000", "-22");
    }

    @Test
    void aHexFormatDoesNotReadDecimalTextAndViceVersa() {
        assertThat(match("\" (%s) size 0x%\"PRIx64", " (dev) size 1048576")).isNull();
        assertThat(match("\" (%s) size %\"PRIu64", " (dev) size 0x100000")).isNull();
    }

    @Test
    void aStringTakesTheShortestTextAfterWhichTheRestMatches() {
        assertThat(match("\" (%s) new state %s, recover state %s\"",
                " (0000:3b:00.1) new state STOP_COPY, recover state ERROR"))
                .containsExactly("0000:3b:00.1", "STOP_COPY", "ERROR");
        // the first ") state " is inside the name; the match backs up to the next one
        assertThat(match("\" (%s) state %d\"", " (odd) state name) state 7")).containsExactly("odd) state name", "7");
        assertThat(match("\" (%s) state %s\"", " (dev) state UNKNOWN STATE  ")).containsExactly("dev", "UNKNOWN STATE");
    }

    @Test
    void aFormatMatchesTheWholeTextOnly() {
        assertThat(match("\"dirty_pages %\" PRIu64", "dirty_pages 12 and more")).isNull();
        assertThat(match("\"dirty_pages %\" PRIu64", "dirty_pages 12   ")).containsExactly("12");
        assertThat(match("\"\"", "")).isEmpty();
        assertThat(match("\"\"", "extra")).isNull();
    }

    @Test
    void pointersCharsAndPaddedNumbersAreRead() {
        assertThat(match("\"region_add [ram] 0x%\"PRIx64\" [%p]\"", "region_add [ram] 0xc0000 [0x7f12d4000000]"))
                .containsExactly("c0000", "0x7f12d4000000");
        assertThat(match("\"%p\"", "(nil)")).containsExactly("(nil)");
        assertThat(match("\" (%s) Pin %c\"", " (dev) Pin A")).containsExactly("dev", "A");
        assertThat(match("\"%04x:%02x\"", "0000:3b")).containsExactly("0000", "3b");
    }

    @Test
    void formatsThatCannotBeReadBackAreRefused() {
        assertThatThrownBy(() -> TraceEventFormat.compile("%s%d")).hasMessageContaining("%s followed by a conversion");
        assertThatThrownBy(() -> TraceEventFormat.compile("0x%xabc")).hasMessageContaining("a number followed by 'a'");
        assertThatThrownBy(() -> TraceEventFormat.compile("%d%d")).hasMessageContaining("two conversions");
        assertThatThrownBy(() -> TraceEventFormat.compile("%f")).hasMessageContaining("%f not supported");
    }

    @Test
    void aLongLineOfNearMatchesGivesUpInsteadOfBacktrackingForever() {
        String text = " (" + ") x ".repeat(200_000) + "tail";
        assertThat(match("\" (%s) a %s) b %s) c %d\"", text)).isNull();
    }
}
