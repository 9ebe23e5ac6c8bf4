package org.migtrace.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The pages a newcomer reads first link only to files that exist (the picture of the report included). */
class DocLinksTest {
    /** {@code [text](target)} and {@code ![alt](target)}; the target up to a blank or the closing parenthesis. */
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    @ParameterizedTest
    @ValueSource(strings = {"README.md", "docs/getting-started.md", "sample-traces/README.md"})
    void everyRelativeLinkNamesAFileThatExists(String file) throws Exception {
        Path page = Repo.ROOT.resolve(file);
        List<String> broken = new ArrayList<>();
        List<String> lines = Repo.lines(file);
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = LINK.matcher(lines.get(i));
            while (m.find()) {
                String target = m.group(1);
                if (target.startsWith("http") || target.startsWith("#")) {
                    continue;
                }
                String path = target.replaceFirst("#.*$", "");
                if (!Files.exists(page.getParent().resolve(path))) {
                    broken.add(file + ":" + (i + 1) + ": " + target);
                }
            }
        }
        assertThat(broken).as("links to files that do not exist").isEmpty();
    }
}
