package org.migtrace.benchmarks.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A generated section of a Markdown file, between {@code <!-- NAME: ... -->} and
 * {@code <!-- /NAME -->} lines (the convention of docs/rules.md and docs/replay.md); everything
 * outside the markers is hand-written and kept as it is.
 */
final class DocSection {
    private DocSection() {
    }

    /** Replaces the section {@code name} of {@code doc} with {@code body} (lines, ending in a newline). */
    static void replace(Path doc, String name, String body) throws IOException {
        String text = Files.readString(doc, StandardCharsets.UTF_8);
        String open = "<!-- " + name + ":";
        String close = "<!-- /" + name + " -->";
        int start = text.indexOf(open);
        int end = text.indexOf(close);
        if (start < 0 || end < start) {
            throw new IOException(doc + ": no generated section '" + name + "' (expected a line starting with '"
                    + open + "' and a later line '" + close + "')");
        }
        int bodyStart = text.indexOf('\n', start) + 1;
        Files.writeString(doc, text.substring(0, bodyStart) + body + text.substring(end), StandardCharsets.UTF_8);
    }
}
