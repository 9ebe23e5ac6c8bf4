package org.migtrace.sim.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.migtrace.sim.scenario.BurstSpec;
import org.migtrace.sim.scenario.PageRate;

class RateScheduleTest {

    @Test
    void fractionalRatesCarryExactlyAcrossManyWindows() {
        RateSchedule r = new RateSchedule(PageRate.parse("1000.5 pages/s"), null);
        long total = 0;
        for (int i = 0; i < 10_000; i++) {
            long n = r.pagesIn(i * 1_000_000L, (i + 1) * 1_000_000L); // 1 ms windows, 1.0005 pages each
            assertThat(n).isBetween(1L, 2L);
            total += n;
        }
        assertThat(total).isEqualTo(10_005); // floor(1000.5 * 10 s)
    }

    @Test
    void theTotalDoesNotDependOnHowTimeIsCut() {
        PageRate rate = PageRate.parse("1GB/s"); // 244140.625 pages/s
        RateSchedule whole = new RateSchedule(rate, null);
        RateSchedule pieces = new RateSchedule(rate, null);
        SplittableRandom rng = new SplittableRandom(5);
        long t = 0;
        long sum = 0;
        long end = 3_000_000_000L;
        while (t < end) {
            long next = Math.min(end, t + 1 + rng.nextLong(7_000_000));
            sum += pieces.pagesIn(t, next);
            t = next;
        }
        assertThat(sum).isEqualTo(whole.pagesIn(0, end)).isEqualTo(732_421); // floor(244140.625 * 3)
    }

    @Test
    void burstsMultiplyTheRateDuringOnPeriods() {
        BurstSpec burst = new BurstSpec(Duration.ofMillis(10), Duration.ofMillis(90), BigDecimal.TEN, null);
        RateSchedule r = new RateSchedule(PageRate.ofPagesPerSecond(1000), burst);
        assertThat(r.pagesIn(0, 10_000_000)).as("10 ms at 10x").isEqualTo(100);
        assertThat(r.pagesIn(10_000_000, 100_000_000)).as("90 ms at 1x").isEqualTo(90);
        assertThat(r.pagesIn(0, 1_000_000_000)).isEqualTo(1900);
        assertThat(r.pagesIn(1_000_000_000, 1_005_000_000)).as("next period starts with a burst").isEqualTo(50);
    }

    @Test
    void anOffMultiplierOfZeroMakesTheWorkloadIdleBetweenBursts() {
        BurstSpec burst = new BurstSpec(Duration.ofMillis(50), Duration.ofMillis(50), BigDecimal.ONE, BigDecimal.ZERO);
        RateSchedule r = new RateSchedule(PageRate.ofPagesPerSecond(2000), burst);
        assertThat(r.pagesIn(50_000_000, 100_000_000)).isZero();
        assertThat(r.pagesIn(100_000_000, 150_000_000)).isEqualTo(100);
    }
}
