package org.migtrace.trace;

/** The {@code decision} column of {@code iterations}: what the driver did after the sync. */
public enum Decision implements Labeled {
    /** The first sync, at setup (iteration 0). */
    SETUP,
    /** The switchover test failed: another pre-copy round. */
    ITERATE,
    /** The switchover test passed. */
    SWITCHOVER,
    /** The migration was cancelled at this sync (the step limit). */
    CANCEL
}
