package org.migtrace.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class UnitsTest {

    @Test
    void sizesTakeBinaryDecimalAndQemuStyleUnits() {
        assertThat(ByteSize.parse("1TiB").bytes()).isEqualTo(1L << 40);
        assertThat(ByteSize.parse("4KiB").bytes()).isEqualTo(4096);
        assertThat(ByteSize.parse("2MiB").bytes()).isEqualTo(2L << 20);
        assertThat(ByteSize.parse("1.5GiB").bytes()).isEqualTo(3L << 29);
        assertThat(ByteSize.parse("500MB").bytes()).isEqualTo(500_000_000L);
        assertThat(ByteSize.parse("16G").bytes()).as("QEMU's -m 16G is GiB").isEqualTo(16L << 30);
        assertThat(ByteSize.parse("0x100000000").bytes()).isEqualTo(1L << 32);
        assertThat(ByteSize.parse("4096").bytes()).isEqualTo(4096);
        assertThat(ByteSize.parse("2 MiB").bytes()).isEqualTo(2L << 20);
        assertThatThrownBy(() -> ByteSize.parse("2mib")).as("units are case-sensitive").hasMessageContaining("unknown unit");
    }

    @Test
    void sizesRejectFractionsOfBytesAndUnknownUnits() {
        assertThatThrownBy(() -> ByteSize.parse("1.5B")).hasMessageContaining("whole number of bytes");
        assertThatThrownBy(() -> ByteSize.parse("4GiX")).hasMessageContaining("unknown unit 'GiX'");
        assertThatThrownBy(() -> ByteSize.parse("lots")).hasMessageContaining("bad size");
        assertThatThrownBy(() -> ByteSize.parse("16EiB")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sizesPrintInTheLargestWholeUnit() {
        assertThat(ByteSize.parse("1TiB")).hasToString("1TiB");
        assertThat(ByteSize.parse("1536KiB")).hasToString("1536KiB");
        assertThat(new ByteSize(12345)).hasToString("12345B");
    }

    @Test
    void dataRatesAreWholeBytesPerSecond() {
        assertThat(DataRate.parse("10Gbit/s").bytesPerSecond()).isEqualTo(1_250_000_000L);
        assertThat(DataRate.parse("1.25GB/s").bytesPerSecond()).isEqualTo(1_250_000_000L);
        assertThat(DataRate.parse("800MiB/s").bytesPerSecond()).isEqualTo(800L << 20);
        assertThat(DataRate.parse("100Mbit/s").bytesPerSecond()).isEqualTo(12_500_000L);
        assertThat(DataRate.parse("1000").bytesPerSecond()).isEqualTo(1000);
        assertThatThrownBy(() -> DataRate.parse("1bit/s")).hasMessageContaining("whole number of bytes per second");
        assertThatThrownBy(() -> DataRate.parse("10Gb/s")).hasMessageContaining("unknown unit");
    }

    @Test
    void dataRateBytesInRoundsDown() {
        assertThat(DataRate.parse("1GB/s").bytesIn(1_500_000)).isEqualTo(1_500_000);
        assertThat(new DataRate(3).bytesIn(500_000_000)).isEqualTo(1);
    }

    @Test
    void pageRatesKeepFractionsExactly() {
        assertThat(PageRate.parse("200000 pages/s").pagesPerSecond()).isEqualByComparingTo("200000");
        assertThat(PageRate.parse("1.5 pages/s").pagesPerSecond()).isEqualByComparingTo("1.5");
        assertThat(PageRate.parse("1GB/s").pagesPerSecond()).isEqualByComparingTo(new BigDecimal("244140.625"));
        assertThat(PageRate.parse("10Gbit/s").pagesPerSecond()).isEqualByComparingTo(new BigDecimal("305175.78125"));
        assertThatThrownBy(() -> PageRate.parse("200000")).hasMessageContaining("needs a unit");
    }

    @Test
    void durationsNeedAUnit() {
        assertThat(Durations.parse("300ms")).isEqualTo(Duration.ofMillis(300));
        assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.parse("250us")).isEqualTo(Duration.ofNanos(250_000));
        assertThat(Durations.parse("2min")).isEqualTo(Duration.ofMinutes(2));
        assertThatThrownBy(() -> Durations.parse("300")).hasMessageContaining("needs a unit");
        assertThatThrownBy(() -> Durations.parse("0.5ns")).hasMessageContaining("whole number of nanoseconds");
        assertThat(Durations.format(Duration.ofMillis(300))).isEqualTo("300ms");
    }

    @Test
    void labelsMatchIgnoringCaseAndUnderscores() {
        assertThat(Labeled.parse(DriverModel.class, "MLX5_VF")).isEqualTo(DriverModel.MLX5_VF);
        assertThat(Labeled.parse(DirtyTracking.class, "dma-logging")).isEqualTo(DirtyTracking.DMA_LOGGING);
        assertThatThrownBy(() -> Labeled.parse(AccessPattern.class, "random"))
                .hasMessageContaining("expected one of uniform, hot-set, zipf, sweep");
    }
}
