package org.migtrace.sim.guest;

/** A cursor walking the range page after page from page 0, wrapping at the end. */
public final class SweepPattern implements PagePattern {
    private final long pages;
    private long cursor;

    public SweepPattern(long pages) {
        if (pages <= 0) {
            throw new IllegalArgumentException("sweep over " + pages + " pages");
        }
        this.pages = pages;
    }

    @Override
    public long pages() {
        return pages;
    }

    /** The next page the sweep writes. */
    public long cursor() {
        return cursor;
    }

    @Override
    public void generate(long count, RunSink sink) {
        while (count > 0) {
            long n = Math.min(count, pages - cursor);
            sink.run(cursor, n);
            cursor += n;
            if (cursor == pages) {
                cursor = 0;
            }
            count -= n;
        }
    }
}
