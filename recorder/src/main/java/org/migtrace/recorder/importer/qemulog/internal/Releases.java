package org.migtrace.recorder.importer.qemulog.internal;

/**
 * A range of QEMU releases, both ends included: the releases that printed a trace-event format, or
 * what a log's formats together allow. Empty when {@code first} is after {@code last} (formats of
 * different releases in one log).
 */
public record Releases(QemuRelease first, QemuRelease last) {

    /** Every release the catalog knows. */
    public static final Releases ALL = new Releases(QemuRelease.V1, QemuRelease.DEV);

    /** The releases in both. */
    public Releases intersect(Releases other) {
        QemuRelease f = first.compareTo(other.first) >= 0 ? first : other.first;
        QemuRelease l = last.compareTo(other.last) <= 0 ? last : other.last;
        return new Releases(f, l);
    }

    /** Whether no release is in the range. */
    public boolean isEmpty() {
        return first.compareTo(last) > 0;
    }

    /** Whether the range leaves out some release (so seeing the format says something). */
    public boolean narrows() {
        return !equals(ALL);
    }

    /** {@code 9.1}, {@code 8.1-9.1}, {@code 9.1 or later}, {@code dev}, {@code 5.1-7.2}. */
    public String label() {
        if (first == last) {
            return first.label();
        }
        if (last == QemuRelease.DEV) {
            return first.firstLabel() + " or later";
        }
        return first.firstLabel() + "-" + last.lastLabel();
    }

    @Override
    public String toString() {
        return label();
    }
}
