package org.migtrace.replay;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.migtrace.replay.internal.PluginClassLoader;
import org.migtrace.replay.spi.ReplayTargetFactory;
import org.migtrace.uapi.MigtraceException;
import org.migtrace.uapi.MigtraceException.ErrorCode;

/**
 * The replay targets there are, by name: those on the class path (the built-in {@code kernel} and
 * variants) and those in plugin jars, each jar in a class loader of its own whose parent is
 * migtrace's, so that a plugin sees the SPI and the reference model but not another plugin.
 */
public final class Targets {
    private final Map<String, ReplayTargetFactory> byName = new TreeMap<>();
    private final List<URLClassLoader> loaders = new ArrayList<>();

    private Targets() {
    }

    /** The built-in targets. */
    public static Targets builtIn() {
        Targets t = new Targets();
        try {
            for (ReplayTargetFactory f : ServiceLoader.load(ReplayTargetFactory.class, Targets.class.getClassLoader())) {
                t.add(f, "migtrace");
            }
        } catch (MigtraceException e) {
            throw new IllegalStateException(e.getMessage(), e); // two built-ins with one name: our bug
        }
        return t;
    }

    /** The built-in targets and those the jars {@code plugins} provide. */
    public static Targets with(List<Path> plugins) throws MigtraceException {
        Targets t = builtIn();
        for (Path jar : plugins) {
            if (!Files.isRegularFile(jar)) {
                throw new MigtraceException(ErrorCode.USAGE, "plugin " + jar + ": no such file");
            }
            URLClassLoader cl;
            try {
                cl = new PluginClassLoader("migtrace-plugin:" + jar.getFileName(), jar.toUri().toURL(),
                        Targets.class.getClassLoader());
            } catch (MalformedURLException e) {
                throw new MigtraceException(ErrorCode.USAGE, "plugin " + jar + ": " + e.getMessage());
            }
            t.loaders.add(cl);
            int before = t.byName.size();
            try {
                for (ReplayTargetFactory f : ServiceLoader.load(ReplayTargetFactory.class, cl)) {
                    if (f.getClass().getClassLoader() == cl) {
                        t.add(f, jar.toString());
                    }
                }
            } catch (ServiceConfigurationError e) {
                throw new MigtraceException(ErrorCode.BAD_INPUT, "plugin " + jar + ": " + e.getMessage());
            }
            if (t.byName.size() == before) {
                throw new MigtraceException(ErrorCode.BAD_INPUT, "plugin " + jar + " provides no replay target "
                        + "(META-INF/services/" + ReplayTargetFactory.class.getName() + " names none)");
            }
        }
        return t;
    }

    private void add(ReplayTargetFactory f, String from) throws MigtraceException {
        ReplayTargetFactory old = byName.putIfAbsent(f.name(), f);
        if (old != null && old.getClass() != f.getClass() && !"migtrace".equals(from)
                && old.getClass().getName().equals(f.getClass().getName())) {
            byName.put(f.name(), f); // the jar's own copy of a class also on the class path: the jar wins
        } else if (old != null && old.getClass() != f.getClass()) {
            throw new MigtraceException(ErrorCode.USAGE, "two replay targets are called " + f.name() + " ("
                    + old.getClass().getName() + " and " + f.getClass().getName() + " from " + from + ")");
        }
    }

    /** The target called {@code name}; a usage error naming the ones there are otherwise. */
    public ReplayTargetFactory get(String name) throws MigtraceException {
        ReplayTargetFactory f = byName.get(name);
        if (f == null) {
            throw new MigtraceException(ErrorCode.USAGE, "no replay target " + name + " (there are: "
                    + String.join(", ", byName.keySet()) + "; --list-targets describes them)");
        }
        return f;
    }

    /** All targets, sorted by name. */
    public Collection<ReplayTargetFactory> all() {
        return byName.values();
    }

    /** Closes the plugin class loaders. */
    public void close() throws IOException {
        for (URLClassLoader cl : loaders) {
            cl.close();
        }
    }
}
