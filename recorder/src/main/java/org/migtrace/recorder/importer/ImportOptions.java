package org.migtrace.recorder.importer;

/**
 * What the caller knows that the input may not say.
 *
 * @param host    the host the capture was made on, as the trace's {@code host} column and manifest
 *                name it; null when unknown (the rows then have no host)
 * @param command the command line that made the trace, for the manifest's {@code source.command};
 *                null when not known
 */
public record ImportOptions(String host, String command) {

    /** No host, no command. */
    public static ImportOptions none() {
        return new ImportOptions(null, null);
    }
}
