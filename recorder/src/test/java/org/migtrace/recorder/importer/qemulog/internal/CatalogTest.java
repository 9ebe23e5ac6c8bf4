package org.migtrace.recorder.importer.qemulog.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogTest {

    private static final Catalog BUILT_IN = Catalog.builtIn();

    @Test
    void theShippedCatalogCoversTheEventsTheImporterMaps() {
        assertThat(BUILT_IN.names()).contains("vfio_migration_set_state", "vfio_migration_set_device_state",
                "vfio_save_block", "vfio_state_pending_estimate", "vfio_state_pending_exact", "vfio_state_pending",
                "vfio_get_dirty_bitmap", "vfio_container_query_dirty_bitmap", "iommufd_backend_get_dirty_bitmap",
                "migrate_transferred", "migrate_pending_exact", "migrate_pending_estimate",
                "migration_bitmap_sync_end", "migration_thread_low_pending", "migrate_set_state",
                "vmstate_downtime_save", "vmstate_downtime_load", "vmstate_downtime_checkpoint");
    }

    @Test
    void everyFormOfAnEventIsKeptInTheOrderToTryThem() {
        List<EventDecl> dirty = BUILT_IN.forms("vfio_get_dirty_bitmap");
        assertThat(dirty).extracting(d -> d.args().size()).containsExactly(5, 6, 5);
        assertThat(dirty.get(0).args().get(0).name()).isEqualTo("fd");
        assertThat(dirty.get(2).releases().label()).isEqualTo("8.2-10.0");
        assertThat(BUILT_IN.forms("vfio_migration_set_state")).extracting(d -> d.releases().label())
                .containsExactly("5.1-7.2", "8.0-9.1", "9.1 or later");
        assertThat(BUILT_IN.forms("migrate_transferred")).extracting(d -> d.args().size()).containsExactly(4, 5);
    }

    @Test
    void argumentKindsComeFromTheCTypes() {
        EventDecl d = BUILT_IN.forms("vfio_state_pending").get(0);
        assertThat(d.args()).extracting(EventDecl.Arg::kind).containsExactly(ArgKind.STRING, ArgKind.UNSIGNED,
                ArgKind.UNSIGNED, ArgKind.UNSIGNED, ArgKind.BOOL, ArgKind.BOOL, ArgKind.BOOL);
        assertThat(ArgKind.of("const char *")).isEqualTo(ArgKind.STRING);
        assertThat(ArgKind.of("void *")).isEqualTo(ArgKind.POINTER);
        assertThat(ArgKind.of("int64_t")).isEqualTo(ArgKind.SIGNED);
        assertThat(ArgKind.of("unsigned int")).isEqualTo(ArgKind.UNSIGNED);
    }

    @Test
    void aDeclarationWhoseFormatDoesNotFitItsArgumentsIsRefusedWithItsLine() {
        String text = "# comment\n[9.1 .. dev]\nvfio_x(const char *name, int n) \" (%s)\"\n";
        assertThatThrownBy(() -> Catalog.parse(new BufferedReader(new StringReader(text))))
                .hasMessageContaining("catalog line 3").hasMessageContaining("2 arguments but 1 conversions");
        String typed = "[9.1 .. dev]\nvfio_x(int n) \" (%s)\"\n";
        assertThatThrownBy(() -> Catalog.parse(new BufferedReader(new StringReader(typed))))
                .hasMessageContaining("printed with %s");
        String unranged = "vfio_x(void) \"\"\n";
        assertThatThrownBy(() -> Catalog.parse(new BufferedReader(new StringReader(unranged))))
                .hasMessageContaining("before any [FIRST .. LAST] line");
    }

    @Test
    void releaseRangesIntersectAndName() {
        Releases a = new Releases(QemuRelease.V8_1, QemuRelease.V9_1);
        Releases b = new Releases(QemuRelease.V9_1, QemuRelease.DEV);
        assertThat(a.intersect(b).label()).isEqualTo("9.1");
        assertThat(b.label()).isEqualTo("9.1 or later");
        assertThat(new Releases(QemuRelease.V8_0, QemuRelease.V8_0).intersect(b).isEmpty()).isTrue();
        assertThat(Releases.ALL.narrows()).isFalse();
    }
}
