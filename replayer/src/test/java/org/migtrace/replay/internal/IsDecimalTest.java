package org.migtrace.replay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A replayed value (text) against a recorded number, without making the number's text. */
class IsDecimalTest {

    @Test
    void aNumberIsItsDecimalTextAndNothingElse() {
        SplittableRandom random = new SplittableRandom(7);
        List<Long> values = new java.util.ArrayList<>(List.of(0L, 1L, -1L, 9L, 10L, -10L, 31L, -22L,
                Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1));
        for (int i = 0; i < 2000; i++) {
            values.add(random.nextLong() >> random.nextInt(64));
        }
        for (long v : values) {
            String text = Long.toString(v);
            assertThat(RecordedOutcomes.isDecimal(text, v)).as(text).isTrue();
            for (String other : List.of(Long.toString(-v), "+" + text, "0" + text, text + "0", text.substring(1),
                    "", " " + text, Long.toString(v + 1), Long.toString(v / 10))) {
                assertThat(RecordedOutcomes.isDecimal(other, v)).as("%s against %d", other, v)
                        .isEqualTo(other.equals(text));
            }
        }
    }
}
