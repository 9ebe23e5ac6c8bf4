package org.migtrace.sim.internal.kernel;

/**
 * A {@code struct file}: the object, the file position, and a reference count (the fd and every
 * mmap of the file hold one, as a VMA holds its file), so {@link KFile#release} runs only when the
 * last one is gone.
 */
public final class OpenFile {
    private final KFile file;
    private final long[] pos = new long[1];
    private int refs;

    public OpenFile(KFile file) {
        this.file = file;
    }

    public KFile file() {
        return file;
    }

    /** The file position, as a one-element array the read/write paths advance ({@code loff_t *ppos}). */
    public long[] pos() {
        return pos;
    }

    public void get() {
        refs++;
    }

    /** Drops a reference; true when it was the last one. */
    public boolean put() {
        if (refs <= 0) {
            throw new IllegalStateException("file reference count underflow: " + file.objectName());
        }
        return --refs == 0;
    }
}
