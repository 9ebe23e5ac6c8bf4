package org.migtrace.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How a command line of a {@code ```sh} block is read: its comment, its promised exit status. */
class ShellExampleTest {

    @Test
    void aCommentAfterABlankEndsTheCommand() {
        assertThat(ShellExample.withoutComment("bin/migtrace replay t --target x   # exit 1: it diverges"))
                .isEqualTo("bin/migtrace replay t --target x   ");
    }

    @Test
    void aHashInsideQuotesOrAWordIsPartOfTheCommand() {
        assertThat(ShellExample.withoutComment("bin/migtrace sql t \"SELECT '#' AS x\" a#b"))
                .isEqualTo("bin/migtrace sql t \"SELECT '#' AS x\" a#b");
    }
}
