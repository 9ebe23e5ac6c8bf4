package org.migtrace.sim.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PatternTest {

    @Test
    void uniformCoversTheRangeEvenly() {
        UniformPattern p = new UniformPattern(1 << 16, new SplittableRandom(42));
        long[] buckets = new long[64];
        int draws = 1_000_000;
        for (int i = 0; i < draws; i++) {
            long page = p.nextPage();
            assertThat(page).isBetween(0L, (1L << 16) - 1);
            buckets[(int) (page >>> 10)]++;
        }
        double mean = draws / 64.0;
        for (long b : buckets) {
            assertThat((double) b).isCloseTo(mean, within(mean * 0.05));
        }
    }

    @Test
    void hotSetStaysInItsSetAndFillsIt() {
        HotSetPattern p = new HotSetPattern(100_000, 0.1, 0.3, new SplittableRandom(7));
        assertThat(p.hotFirst()).isEqualTo(30_000);
        assertThat(p.hotPages()).isEqualTo(10_000);
        boolean[] seen = new boolean[100_000];
        p.generate(200_000, (first, n) -> {
            assertThat(first).isGreaterThanOrEqualTo(30_000);
            assertThat(first + n).isLessThanOrEqualTo(40_000);
            for (long i = first; i < first + n; i++) {
                seen[(int) i] = true;
            }
        });
        int covered = 0;
        for (int i = 30_000; i < 40_000; i++) {
            covered += seen[i] ? 1 : 0;
        }
        assertThat(covered).as("20 draws per hot page leave almost none untouched").isGreaterThan(9_990);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.8, 1.0, 1.1, 2.0})
    void zipfRankFrequenciesFollowOneOverKToTheS(double s) {
        long n = 1_000_000;
        ZipfSampler z = new ZipfSampler(n, s);
        SplittableRandom rng = new SplittableRandom(2024);
        int draws = 2_000_000;
        long[] counts = new long[11];
        for (int i = 0; i < draws; i++) {
            long k = z.sample(rng);
            assertThat(k).isBetween(1L, n);
            if (k <= 10) {
                counts[(int) k]++;
            }
        }
        double norm = 0;
        for (long k = 1; k <= n; k++) {
            norm += Math.pow(k, -s);
        }
        for (int k = 1; k <= 10; k++) {
            double expected = draws * Math.pow(k, -s) / norm;
            // 5 standard deviations of a binomial count, plus 1% for the model
            double tol = 5 * Math.sqrt(expected) + 0.01 * expected;
            assertThat((double) counts[k]).as("rank %d at s=%s", k, s).isCloseTo(expected, within(tol));
        }
    }

    @Test
    void zipfPagesAreAPermutationOfRanks() {
        ZipfPattern p = new ZipfPattern(1000, 1.0, new SplittableRandom(3));
        long[] pages = new long[1000];
        for (int k = 1; k <= 1000; k++) {
            pages[k - 1] = p.pageOfRank(k);
        }
        Arrays.sort(pages);
        for (int i = 0; i < 1000; i++) {
            assertThat(pages[i]).isEqualTo(i);
        }
        assertThat(p.pageOfRank(1)).as("the hottest page is scattered, not page 0").isNotZero();
    }

    @Test
    void zipfPatternMakesTheRankOnePageTheHottest() {
        ZipfPattern p = new ZipfPattern(50_000, 1.2, new SplittableRandom(9));
        long[] counts = new long[50_000];
        for (int i = 0; i < 500_000; i++) {
            counts[(int) p.nextPage()]++;
        }
        long top = counts[(int) p.pageOfRank(1)];
        long second = counts[(int) p.pageOfRank(2)];
        assertThat(Arrays.stream(counts).max().getAsLong()).isEqualTo(top);
        assertThat((double) top / second).isCloseTo(Math.pow(2, 1.2), within(0.15));
    }

    @Test
    void sweepWalksAndWraps() {
        SweepPattern p = new SweepPattern(100);
        List<long[]> runs = new ArrayList<>();
        p.generate(250, (first, n) -> runs.add(new long[] {first, n}));
        assertThat(runs).containsExactly(new long[] {0, 100}, new long[] {0, 100}, new long[] {0, 50});
        runs.clear();
        p.generate(60, (first, n) -> runs.add(new long[] {first, n}));
        assertThat(runs).containsExactly(new long[] {50, 50}, new long[] {0, 10});
        assertThat(p.cursor()).isEqualTo(10);
    }

    @Test
    void sampledPatternsCoalesceAdjacentAndRepeatedPages() {
        // a hot set of 8 pages written 1000 times is one run of 8 pages per batch
        HotSetPattern p = new HotSetPattern(1000, 0.008, 0.5, new SplittableRandom(1));
        List<long[]> runs = new ArrayList<>();
        p.generate(1000, (first, n) -> runs.add(new long[] {first, n}));
        assertThat(runs).containsExactly(new long[] {500, 8});
    }
}
