package org.migtrace.cli;

import picocli.CommandLine.Option;

/**
 * {@code -h/--help} for subcommands. picocli's standard help options would also add
 * {@code -V/--version} to every subcommand; the version belongs to {@code migtrace} alone.
 */
public final class HelpMixin {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;
}
