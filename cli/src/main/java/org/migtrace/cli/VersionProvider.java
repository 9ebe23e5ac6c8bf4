package org.migtrace.cli;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code migtrace --version}: the build's version (filtered in by Maven) and the running JVM, with
 * its heap limit and collectors (what a bug report about speed or memory needs to say).
 */
final class VersionProvider implements IVersionProvider {

    private static final String RESOURCE = "version.properties";

    @Override
    public String[] getVersion() {
        return new String[] {
            "migtrace " + version(),
            "Java ${java.version} (${java.vendor}) on ${os.name} ${os.arch}",
            "heap up to " + maxHeapBytes() / (1024 * 1024) + " MiB, collectors " + collectors(),
        };
    }

    /**
     * The heap limit ({@code -Xmx}, or the JVM's own choice): HotSpot's {@code MaxHeapSize}, since
     * {@link Runtime#maxMemory()} leaves out a survivor space under the parallel collector.
     */
    static long maxHeapBytes() {
        HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        return hotSpot == null ? Runtime.getRuntime().maxMemory() : Long.parseLong(hotSpot.getVMOption("MaxHeapSize").getValue());
    }

    /** The running JVM's collectors by their management names ("PS Scavenge, PS MarkSweep": the parallel one). */
    static String collectors() {
        return String.join(", ", ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName).toList());
    }

    /** The project version this jar was built from. */
    static String version() {
        try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " missing from the classpath");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
