package org.migtrace.cli.browser;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Loads a page in Debian's headless Chromium, once, and keeps what it showed: the DOM after the
 * load event ({@code --dump-dom}), a screenshot, and every message the page wrote to its console
 * (with {@code --enable-logging=stderr} Chromium logs each one as a {@code CONSOLE} line on stderr,
 * whatever its level, so a page without scripts of its own should log none).
 */
final class Chromium {

    static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final long TIMEOUT_S = 120;
    static final int WIDTH = 1280;
    static final int HEIGHT = 2400;

    /** What one page load left behind. */
    record Page(String dom, List<String> console, Path screenshot, String stderr) {
    }

    private Chromium() {
    }

    /** Why Chromium cannot run here, or empty when it can. */
    static Optional<String> unavailable() {
        return Files.isExecutable(BINARY)
                ? Optional.empty()
                : Optional.of(BINARY + " not found (apt-get install chromium)");
    }

    /**
     * Loads {@code page} with a fresh profile (removed afterwards) and writes the screenshot, the DOM
     * and Chromium's stderr into {@code work}, named after the page.
     */
    static Page load(Path page, Path work) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("migtrace-chromium-profile");
        try {
            return load(page, work, profile);
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    private static Page load(Path page, Path work, Path profile) throws IOException, InterruptedException {
        Path screenshot = work.resolve(page.getFileName() + ".png");
        Path dom = work.resolve(page.getFileName() + ".dom.html");
        Path stderr = work.resolve(page.getFileName() + ".stderr");
        Files.deleteIfExists(screenshot);
        Process p = new ProcessBuilder(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0", "--hide-scrollbars",
                "--window-size=" + WIDTH + "," + HEIGHT, "--screenshot=" + screenshot, "--dump-dom",
                page.toUri().toString())
                .redirectOutput(dom.toFile()).redirectError(stderr.toFile()).start();
        if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor();
            throw new IllegalStateException("chromium did not finish within " + TIMEOUT_S + " s loading " + page);
        }
        String log = Files.readString(stderr, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IllegalStateException("chromium exited with " + p.exitValue() + " loading " + page + ":\n" + log);
        }
        List<String> console = log.lines().filter(l -> l.contains(":CONSOLE")).toList();
        return new Page(Files.readString(dom, StandardCharsets.UTF_8), console, screenshot, log);
    }

    /**
     * Whether a screenshot shows next to nothing: under 1 % of its pixels differ from white, or it
     * has fewer than 16 colours (a page of charts has thousands, from anti-aliasing alone).
     */
    static boolean blank(Path png) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        if (image == null) {
            throw new IOException(png + ": not an image");
        }
        Set<Integer> colours = new HashSet<>();
        long inked = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                if (rgb != 0xffffff) {
                    inked++;
                }
            }
        }
        return inked * 100 < (long) image.getWidth() * image.getHeight() || colours.size() < 16;
    }
}
