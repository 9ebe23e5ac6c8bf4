package com.example.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.migtrace.cli.Main;
import org.migtrace.recorder.Recording;
import org.migtrace.replay.Targets;
import org.migtrace.replay.spi.ReplayTargetFactory;
import org.migtrace.sim.scenario.ScenarioLoader;

/** The example plugin, loaded from a jar as {@code --plugin} loads it, and replayed through the command line. */
class Type1HugeGranularityTest {
    @TempDir
    static Path dir;

    static Path jar;
    static Path v1Trace;

    @BeforeAll
    static void setUp() throws Exception {
        jar = jarOf(Path.of("target", "classes"), dir.resolve("plugin.jar"));
        v1Trace = dir.resolve("v1-legacy");
        Recording.of(ScenarioLoader.builtIn("v1-legacy")).to(v1Trace);
    }

    @Test
    void theFactoryComesFromTheJarInItsOwnClassLoader() throws Exception {
        Targets targets = Targets.with(List.of(jar));
        ReplayTargetFactory f = targets.get("type1-2mib");
        assertThat(f.getClass().getClassLoader()).isNotSameAs(Targets.class.getClassLoader());
        assertThat(f.getClass().getClassLoader().getName()).isEqualTo("migtrace-plugin:plugin.jar");
        targets.close();
    }

    @Test
    void type1BitmapsWidenedTo2MiBDivergeFromTheRecordingWithTheAddedPages() {
        String[] out = run("replay", v1Trace.toString(), "--plugin", jar.toString(), "--target", "type1-2mib");
        assertThat(out[0]).as(out[1]).isEqualTo("1");
        assertThat(out[1]).contains("VFIO_IOMMU_DIRTY_PAGES").contains("bitmap expected 20971 pages, got 20992 pages")
                .contains("extra 21 pages: 20971+21");
    }

    @Test
    void listTargetsShowsThePluginNextToTheBuiltIns() {
        String[] out = run("replay", "--list-targets", "--plugin", jar.toString());
        assertThat(out[0]).isEqualTo("0");
        assertThat(out[1]).contains("type1-2mib").contains("example plugin").contains("kernel");
    }

    /** {exit status, stdout + stderr}. */
    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.commandLine(new PrintWriter(out), new PrintWriter(err)).execute(args);
        return new String[] {Integer.toString(exit), out + "" + err};
    }

    private static Path jarOf(Path classes, Path jar) throws IOException {
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(os);
             Stream<Path> files = Files.walk(classes)) {
            for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                j.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
                j.write(Files.readAllBytes(p));
                j.closeEntry();
            }
        }
        return jar;
    }
}
