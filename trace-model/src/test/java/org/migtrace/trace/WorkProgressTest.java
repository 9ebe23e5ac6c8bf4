package org.migtrace.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkProgressTest {

    private final List<Double> seen = new ArrayList<>();
    private final WorkProgress whole = (units, total) -> seen.add((double) units / total);

    @Test
    void aPartMovesTheWholeWithinItsShare() {
        WorkProgress second = whole.part(0.5, 1);
        second.done(0, 4);
        second.done(1, 4);
        second.done(4, 4);
        assertThat(seen).containsExactly(0.5, 0.625, 1.0);
    }

    @Test
    void aPartOfAPartIsAShareOfTheShare() {
        whole.part(0.25, 0.75).part(0, 0.5).done(1, 1);
        assertThat(seen).containsExactly(0.5);
    }

    @Test
    void aPartReportingPastItsTotalStaysWithinItsShare() {
        whole.part(0, 0.5).done(7, 4);
        assertThat(seen).containsExactly(0.5);
    }

    @Test
    void aPartOfNoneIsNone() {
        assertThat(WorkProgress.NONE.part(0.1, 0.2)).isSameAs(WorkProgress.NONE);
    }

    @Test
    void aShareOutsideTheWholeIsAProgrammerError() {
        assertThatThrownBy(() -> whole.part(0.6, 0.4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0.6..0.4");
        assertThatThrownBy(() -> whole.part(0, 1.5)).isInstanceOf(IllegalArgumentException.class);
    }
}
