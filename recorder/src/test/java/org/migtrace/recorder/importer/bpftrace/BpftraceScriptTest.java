package org.migtrace.recorder.importer.bpftrace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.migtrace.uapi.FdKind;

/** The shipped script, how a live capture adjusts it, and what it checks before starting one. */
class BpftraceScriptTest {
    @TempDir
    Path dir;

    @Test
    void theShippedScriptStartsEndsAndFollowsVfiosPaths() {
        String s = BpftraceScript.text();
        assertThat(s).contains("\"migtrace\\\":\\\"start\\\"", "\"migtrace\\\":\\\"end\\\"", "sched_process_exit",
                "strncmp($p, \"/dev/vfio/devices/\", 18)", "strncmp($p, \"/dev/vfio/vfio\", 15)",
                "strncmp($p, \"/dev/iommu\", 11)", "// migtrace:seed", "while ($i < 512 && $i * 64 < $bc)");
    }

    @Test
    void aLiveCaptureSeedsTheOpenFdsRewritesThePathsAndAppendsProbes() {
        String s = BpftraceScript.text(BpftraceScript.Paths.under("/tmp/m1"),
                Map.of(7, new BpftraceImport.OpenFd(FdKind.DEVICE, "anon_inode:[vfio-device]"),
                        3, new BpftraceImport.OpenFd(FdKind.CONTAINER, "/dev/vfio/vfio")),
                List.of("usdt:/x:qemu:y { }"));
        assertThat(s).contains("\t@fd[3] = 1;\n\t@fd[7] = 3;", "strncmp($p, \"/tmp/m1/dev/vfio/devices/\", 25)",
                "strncmp($p, \"/tmp/m1/dev/vfio/vfio\", 22)", "strncmp($p, \"/tmp/m1/dev/iommu\", 18)",
                "strncmp($p, \"/tmp/m1/dev/vfio/\", 17)").endsWith("usdt:/x:qemu:y { }");
        assertThat(BpftraceScript.arguments(4242, 4096)).containsExactly("4242", "4096");
        assertThatThrownBy(() -> BpftraceScript.Paths.under("/tmp/much-too-long")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BpftraceScript.arguments(1, 65536)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theKindOfAnFdIsToldByItsLink() {
        BpftraceScript.Paths p = BpftraceScript.Paths.defaults();
        assertThat(p.kind("/dev/vfio/vfio")).isEqualTo(FdKind.CONTAINER);
        assertThat(p.kind("/dev/vfio/45")).isEqualTo(FdKind.GROUP);
        assertThat(p.kind("/dev/vfio/devices/vfio0")).isEqualTo(FdKind.DEVICE);
        assertThat(p.kind("anon_inode:[vfio-device]")).isEqualTo(FdKind.DEVICE);
        assertThat(p.kind("/dev/iommu")).isEqualTo(FdKind.IOMMUFD);
        assertThat(p.kind("anon_inode:mlx5vf_mig_file")).isEqualTo(FdKind.MIG_DATA);
        assertThat(p.kind("/dev/kvm")).isNull();
        assertThat(p.kind("anon_inode:[eventfd]")).isNull();
    }

    @Test
    void theFdsAProcessHoldsAreReadFromItsFdDirectory() throws Exception {
        Path fd = Files.createDirectories(dir.resolve("proc/99/fd"));
        Files.createSymbolicLink(fd.resolve("3"), Path.of("/dev/vfio/vfio"));
        Files.createSymbolicLink(fd.resolve("4"), Path.of("/dev/vfio/45"));
        Files.createSymbolicLink(fd.resolve("9"), Path.of("anon_inode:[vfio-device]"));
        Files.createSymbolicLink(fd.resolve("11"), Path.of("/nonexistent/kvm"));
        assertThat(BpftraceCapture.openFds(dir.resolve("proc/99"), BpftraceScript.Paths.defaults())).containsExactly(
                Map.entry(3, new BpftraceImport.OpenFd(FdKind.CONTAINER, "/dev/vfio/vfio")),
                Map.entry(4, new BpftraceImport.OpenFd(FdKind.GROUP, "/dev/vfio/45")),
                Map.entry(9, new BpftraceImport.OpenFd(FdKind.DEVICE, "anon_inode:[vfio-device]")));
    }

    @Test
    void aMissingBpftraceIsNamedWithWhatToDo() {
        assertThat(BpftraceEnvironment.problems("/nonexistent/bpftrace"))
                .anyMatch(p -> p.startsWith("bpftrace not found (/nonexistent/bpftrace): install it"));
        assertThat(BpftraceEnvironment.executable("no-such-tool-" + ProcessHandle.current().pid())).isEmpty();
    }
}
