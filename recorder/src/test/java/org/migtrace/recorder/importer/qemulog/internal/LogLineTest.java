package org.migtrace.recorder.importer.qemulog.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class LogLineTest {

    @Test
    void thePidAtSecondsPrefixGivesTheThreadIdAndTheTime() {
        LogLine l = LogLine.parse("83112@1753122905.917608:vfio_save_block  (0000:3b:00.1) data_size 1048576");
        assertThat(l.shape()).isEqualTo(LogLine.Shape.TID_TIMESTAMP);
        assertThat(l.tid()).isEqualTo(83112);
        assertThat(l.tsNs()).isEqualTo(1_753_122_905_917_608_000L);
        assertThat(l.name()).isEqualTo("vfio_save_block");
        assertThat(l.rest()).isEqualTo(" (0000:3b:00.1) data_size 1048576");
    }

    @Test
    void aLineWithoutPrefixHasNoTimeAndNoThread() {
        LogLine l = LogLine.parse("migrate_set_state new state active");
        assertThat(l.shape()).isEqualTo(LogLine.Shape.PLAIN);
        assertThat(l.stamped()).isFalse();
        assertThat(l.tid()).isEqualTo(-1);
        assertThat(l.name()).isEqualTo("migrate_set_state");
        assertThat(l.rest()).isEqualTo("new state active");
    }

    @Test
    void theIso8601PrefixIsUtcWithOrWithoutMicroseconds() {
        LogLine l = LogLine.parse("2025-07-21T18:43:28.089797Z vfio_save_block  (0000:3b:00.1) data_size 1");
        assertThat(l.shape()).isEqualTo(LogLine.Shape.ISO_TIMESTAMP);
        assertThat(l.tsNs()).isEqualTo(nanos("2025-07-21T18:43:28.089797Z"));
        assertThat(l.tid()).isEqualTo(-1);
        assertThat(l.name()).isEqualTo("vfio_save_block");
        assertThat(LogLine.parse("2025-07-21T18:43:29Z migrate_set_state new state active").tsNs())
                .isEqualTo(nanos("2025-07-21T18:43:29Z"));
    }

    @Test
    void anEventWithAnEmptyFormatEndsAfterItsName() {
        assertThat(LogLine.parse("migration_bitmap_sync_start ").rest()).isEmpty();
        assertThat(LogLine.parse("migration_bitmap_sync_start").name()).isEqualTo("migration_bitmap_sync_start");
    }

    @Test
    void otherOutputHasNoEventName() {
        assertThat(LogLine.parse("2025-07-21T18:43:28.089797Z qemu-system-x86_64: warning: x").name()).isNull();
        assertThat(LogLine.parse("QEMU 10.1.0 monitor - type 'help' for more information").name()).isNull();
        assertThat(LogLine.parse("  size: 0x10000, offset: 0x0").name()).isNull();
    }

    @Test
    void aPrefixThatIsNotOneIsLeftToTheText() {
        assertThat(LogLine.parse("2025-13-45T18:43:28Z migrate_set_state new state active").shape())
                .isEqualTo(LogLine.Shape.PLAIN);
        assertThat(LogLine.parse("12@99999999999999999.1:x").shape()).isEqualTo(LogLine.Shape.PLAIN);
    }

    private static long nanos(String iso) {
        Instant i = Instant.parse(iso);
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }
}
