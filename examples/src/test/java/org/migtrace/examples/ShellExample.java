package org.migtrace.examples;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One command of a {@code ```sh} block in a Markdown file, as a reader would paste it, and what the
 * text next to it says about it: {@code # exit N: why} (the exit status it must end with; 0 when not
 * said) or {@code # not run: why} (the one kind of command the test leaves out, saying why).
 *
 * @param file     the Markdown file, from the repository root
 * @param line     its line number there
 * @param command  the command, without its comment
 * @param exit     the exit status the text promises
 * @param notRun   why the test does not run it, or null
 */
record ShellExample(String file, int line, String command, int exit, String notRun) {
    private static final Pattern EXIT = Pattern.compile("#\\s*exit (\\d+):");
    private static final Pattern NOT_RUN = Pattern.compile("#\\s*not run: (.+)$");

    /** Every command of every {@code ```sh} block of {@code file}, in order. */
    static List<ShellExample> in(String file) throws IOException {
        List<ShellExample> out = new ArrayList<>();
        boolean inSh = false;
        List<String> lines = Repo.lines(file);
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.startsWith("```")) {
                inSh = !inSh && l.strip().equals("```sh");
                continue;
            }
            String command = withoutComment(l).strip();
            if (!inSh || command.isEmpty()) {
                continue;
            }
            Matcher exit = EXIT.matcher(l);
            Matcher notRun = NOT_RUN.matcher(l);
            out.add(new ShellExample(file, i + 1, command, exit.find() ? Integer.parseInt(exit.group(1)) : 0,
                    notRun.find() ? notRun.group(1).strip() : null));
        }
        return out;
    }

    /** The line up to a {@code #} that starts a comment (outside quotes, after a blank or at the start). */
    static String withoutComment(String line) {
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    @Override
    public String toString() {
        return file + ":" + line + ": " + command;
    }
}
