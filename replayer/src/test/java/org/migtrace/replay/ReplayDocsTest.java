package org.migtrace.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.migtrace.replay.spi.ReplayTargetFactory;

/** docs/replay.md says what the code does: the divergence table's columns, every built-in target. */
class ReplayDocsTest {
    static final Path DOC = Path.of("..", "docs", "replay.md");

    @Test
    void theDivergenceColumnsTableIsTheCodes() throws Exception {
        String doc = Files.readString(DOC);
        int from = doc.indexOf("<!-- divergence-columns -->\n") + "<!-- divergence-columns -->\n".length();
        int to = doc.indexOf("<!-- /divergence-columns -->");
        List<String> lines = new ArrayList<>(List.of("| column | type | meaning |", "|---|---|---|"));
        for (DivergenceColumn c : DivergenceColumn.values()) {
            lines.add("| `" + c.columnName() + "` | " + c.type() + " | " + c.meaning() + " |");
        }
        assertThat(doc.substring(from, to)).isEqualTo(String.join("\n", lines) + "\n");
    }

    @Test
    void everyBuiltInTargetIsDocumented() throws Exception {
        String doc = Files.readString(DOC);
        for (ReplayTargetFactory f : Targets.builtIn().all()) {
            assertThat(doc).as(f.name()).contains("`" + f.name() + "`");
        }
    }
}
