/**
 * Importers: captures made by other tools, read into traces. {@link org.migtrace.recorder.importer.Importer}
 * is the contract (a name, a description, a streaming read into a
 * {@link org.migtrace.trace.TraceSink}), {@link org.migtrace.recorder.importer.InputSource} the shared
 * input handling (a file or standard input, gzip or not, bounded lines), and
 * {@link org.migtrace.recorder.importer.Importers} the registry the command line uses by name. Each
 * format lives in a sub-package of its own ({@code qemulog}, ...) whose documentation cites the
 * format it reads.
 */
package org.migtrace.recorder.importer;
