package org.migtrace.recorder.importer.bpftrace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.migtrace.recorder.importer.bpftrace.internal.ElfNotes;

/** Finding QEMU's USDT probes in a binary's SDT notes, and the probe blocks made from them. */
class UsdtProbesTest {
    @TempDir
    Path dir;

    /**
     * A program with the SDT notes {@code sys/sdt.h} would emit for QEMU's dtrace backend (written out
     * by hand: the header is not installed everywhere): {@code qemu:vfio_migration_set_state} with three
     * arguments, {@code qemu:migrate_set_state} with one, and a probe of another provider.
     */
    private static final String PROGRAM = """
            #define NOTE(provider, name, args) __asm__ __volatile__ ( \\
                "990: nop\\n" \\
                ".pushsection .note.stapsdt,\\"\\",\\"note\\"\\n" \\
                ".balign 4\\n" \\
                ".4byte 992f-991f, 994f-993f, 3\\n" \\
                "991: .asciz \\"stapsdt\\"\\n" \\
                "992: .balign 4\\n" \\
                "993: .8byte 990b\\n" \\
                ".8byte 0\\n" \\
                ".8byte 0\\n" \\
                ".asciz \\"" provider "\\"\\n" \\
                ".asciz \\"" name "\\"\\n" \\
                ".asciz \\"" args "\\"\\n" \\
                "994: .balign 4\\n" \\
                ".popsection\\n")
            int main(void) {
                NOTE("qemu", "vfio_migration_set_state", "8@%rdi 8@%rsi 8@%rdx");
                NOTE("qemu", "migrate_set_state", "8@%rdi");
                NOTE("libc", "setjmp", "8@%rdi -4@%esi");
                return 0;
            }
            """;

    @Test
    void aBinaryWithoutQemuProbesHasNone() throws Exception {
        assertThat(UsdtProbes.detect(Path.of(ProcessHandle.current().info().command().orElse("/bin/sh")))).isEmpty();
        Path text = Files.writeString(dir.resolve("not-elf"), "#!/bin/sh\n");
        assertThat(UsdtProbes.detect(text)).isEmpty();
        assertThat(ElfNotes.probes(text)).isEmpty();
    }

    @Test
    void qemusProbesAreFoundWithTheirArgumentCountsAndBecomeProbeBlocks() throws Exception {
        Path src = Files.writeString(dir.resolve("usdt.c"), PROGRAM);
        Path bin = dir.resolve("usdt");
        Process gcc;
        try {
            gcc = new ProcessBuilder("gcc", "-o", bin.toString(), src.toString()).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            Assumptions.abort("gcc is not installed: " + e.getMessage());
            return;
        }
        String out = new String(gcc.getInputStream().readAllBytes());
        assertThat(gcc.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(gcc.exitValue()).as(out).isZero();

        assertThat(ElfNotes.probes(bin)).extracting(ElfNotes.Probe::provider, ElfNotes.Probe::name, ElfNotes.Probe::args)
                .contains(org.assertj.core.groups.Tuple.tuple("libc", "setjmp", 2));
        List<ElfNotes.Probe> found = UsdtProbes.detect(bin);
        assertThat(found).extracting(ElfNotes.Probe::name, ElfNotes.Probe::args).containsExactly(
                org.assertj.core.groups.Tuple.tuple("vfio_migration_set_state", 3),
                org.assertj.core.groups.Tuple.tuple("migrate_set_state", 1));
        List<String> blocks = UsdtProbes.probes(bin, 4242, found);
        assertThat(blocks.get(0)).startsWith("usdt:" + bin + ":qemu:vfio_migration_set_state\n/pid == 4242/")
                .contains("\\\"op\\\":\\\"vfio_migration_set_state\\\"", "\\\"device\\\":\\\"%s\\\"",
                        "\\\"new_state\\\":\\\"%s\\\"", "str(arg0), str(arg0), str(arg1), str(arg2)");
        assertThat(blocks.get(1)).contains("\\\"new_state\\\":\\\"%s\\\"").doesNotContain("device");
    }

    @Test
    void anEventWithAnotherArgumentCountGetsNumberedArguments() {
        String block = UsdtProbes.probes(Path.of("/usr/bin/qemu"), 1,
                List.of(new ElfNotes.Probe("qemu", "migrate_pending_exact", 4, false))).get(0);
        assertThat(block).contains("\\\"arg3\\\":%ld", "(int64)arg3");
    }
}
