package org.migtrace.replay.internal;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;

/**
 * The class loader of one plugin jar: child-first, as Trino's {@code PluginClassLoader} is, so a
 * plugin's classes (and the libraries it bundles) come from its jar even when a class of the same
 * name is on migtrace's class path; only the packages a plugin shares with migtrace — the JDK, the
 * SPI and what it exposes (traces, the uAPI vocabulary, the simulated stack), Jackson — come from
 * the parent, so that a plugin's factory is a {@code ReplayTargetFactory} migtrace can call.
 */
public final class PluginClassLoader extends URLClassLoader {
    private static final List<String> SHARED = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.",
            "org.migtrace.replay.spi.", "org.migtrace.replay.variant.Variant", "org.migtrace.trace.",
            "org.migtrace.uapi.", "org.migtrace.sim.", "com.fasterxml.jackson.", "org.apache.arrow.");

    public PluginClassLoader(String name, URL jar, ClassLoader parent) {
        super(name, new URL[] {jar}, parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null && !shared(name)) {
                try {
                    c = findClass(name);
                } catch (ClassNotFoundException e) {
                    c = null; // not in the jar: the parent's
                }
            }
            if (c == null) {
                c = getParent().loadClass(name);
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    @Override
    public URL getResource(String name) {
        URL own = findResource(name); // the jar's META-INF/services first
        return own != null ? own : super.getResource(name);
    }

    private static boolean shared(String name) {
        for (String p : SHARED) {
            if (name.startsWith(p)) {
                return true;
            }
        }
        return false;
    }
}
