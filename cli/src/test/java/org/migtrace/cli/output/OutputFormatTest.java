package org.migtrace.cli.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class OutputFormatTest {

    private static final Table SAMPLE = Table.builder(Column.left("name"), Column.right("pages"), Column.left("ok"))
            .row("a", 1, true)
            .row("with, comma", 123456L, false)
            .row("say \"hi\"", 7, null)
            .row("two\nlines", 0, true)
            .build();

    private static String render(OutputFormat format, Table table) {
        StringWriter sw = new StringWriter();
        format.write(table, new PrintWriter(sw));
        return sw.toString();
    }

    @Test
    void csvQuotesOnlyFieldsThatNeedItAndDoublesQuotes() {
        assertThat(render(OutputFormat.CSV, SAMPLE)).isEqualTo(
                "name,pages,ok\n"
                        + "a,1,true\n"
                        + "\"with, comma\",123456,false\n"
                        + "\"say \"\"hi\"\"\",7,\n"
                        + "\"two\nlines\",0,true\n");
    }

    @Test
    void csvQuotesAHeaderWithAComma() {
        Table t = Table.builder(Column.left("a,b")).row("x").build();
        assertThat(render(OutputFormat.CSV, t)).isEqualTo("\"a,b\"\nx\n");
    }

    @Test
    void tableAlignsColumnsNumbersRightWithoutTrailingBlanks() {
        Table t = Table.builder(Column.left("name"), Column.right("pages"), Column.left("ok"))
                .row("a", 1, true)
                .row("longer", 123456L, false)
                .build();
        assertThat(render(OutputFormat.TABLE, t)).isEqualTo(
                "name     pages  ok\n"
                        + "------  ------  -----\n"
                        + "a            1  true\n"
                        + "longer  123456  false\n");
    }

    @Test
    void jsonKeepsCellTypesAndColumnOrder() throws Exception {
        String json = render(OutputFormat.JSON, SAMPLE);
        JsonNode rows = new ObjectMapper().readTree(json);
        assertThat(rows.size()).isEqualTo(4);
        assertThat(rows.get(1).get("name").asText()).isEqualTo("with, comma");
        assertThat(rows.get(1).get("pages").isIntegralNumber()).isTrue();
        assertThat(rows.get(1).get("pages").asLong()).isEqualTo(123456L);
        assertThat(rows.get(0).get("ok").isBoolean()).isTrue();
        assertThat(rows.get(2).get("ok").isNull()).isTrue();
        assertThat(rows.get(3).get("name").asText()).isEqualTo("two\nlines");
        assertThat(json.lines().skip(1).findFirst().orElseThrow())
                .isEqualTo("  {\"name\":\"a\",\"pages\":1,\"ok\":true},");
    }

    @Test
    void emptyTableIsAnEmptyJsonArrayAndAHeaderOnlyCsv() {
        Table t = Table.builder(Column.left("x")).build();
        assertThat(render(OutputFormat.JSON, t)).isEqualTo("[]\n");
        assertThat(render(OutputFormat.CSV, t)).isEqualTo("x\n");
    }

    @Test
    void rowWithWrongCellCountIsRejected() {
        assertThatThrownBy(() -> Table.builder(Column.left("a"), Column.left("b")).row("only one"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 cells for 2 columns");
    }

    @Test
    void cellOfUnsupportedTypeIsRejectedWhenAdded() {
        assertThatThrownBy(() -> Table.builder(Column.left("a")).row(1.5f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Float");
    }

    @Test
    void measurementsPrintWithAtMostThreeDecimalsAndStayNumbersInJson() {
        Table t = Table.builder(Column.right("ms")).row(299.99999951).row(1.25e9).row(0.5).build();
        StringWriter csv = new StringWriter();
        OutputFormat.CSV.write(t, new PrintWriter(csv));
        assertThat(csv.toString().lines()).containsExactly("ms", "300", "1250000000", "0.5");
        StringWriter json = new StringWriter();
        OutputFormat.JSON.write(t, new PrintWriter(json));
        assertThat(json.toString()).contains("\"ms\":0.5");
    }

    @Test
    void markdownTablesRightAlignNumbersAndEscapePipes() {
        Table t = Table.builder(Column.left("state"), Column.right("n")).row("RUNNING|SAVING", 3L).build();
        StringWriter md = new StringWriter();
        OutputFormat.MARKDOWN.write(t, new PrintWriter(md));
        assertThat(md.toString().lines()).containsExactly("| state | n |", "|---|---:|", "| RUNNING\\|SAVING | 3 |");
    }

    @Test
    void formatNamesAreLowerCaseAsTyped() {
        assertThat(OutputFormat.values()).extracting(OutputFormat::toString).containsExactly("table", "csv", "json", "markdown");
    }
}
