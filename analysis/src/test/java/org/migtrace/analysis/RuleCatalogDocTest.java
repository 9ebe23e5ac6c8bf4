package org.migtrace.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/rules.md lists exactly the rules of the catalog, with their severity, meaning and source. */
class RuleCatalogDocTest {

    @Test
    void docsRulesMdTableIsTheCatalog() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "rules.md"));
        int start = doc.indexOf("| id | severity | meaning | from |");
        int end = doc.indexOf("<!-- /rules-catalog -->");
        List<String> rows = doc.substring(start, end).strip().lines().skip(2).toList();
        List<String> expected = new ArrayList<>();
        for (Rule r : Rule.catalog()) {
            expected.add("| `" + r.id() + "` | " + r.severity() + " | " + r.meaning().replace("|", "\\|") + " | "
                    + r.source().replace("|", "\\|") + " |");
        }
        assertThat(rows).isEqualTo(expected);
    }
}
