package org.migtrace.recorder.importer.qemulog.internal;

import java.util.List;

/**
 * One form of a trace event as a trace-events file declares it: the name, the arguments (C type and
 * name), the compiled format, and the QEMU releases that printed this form.
 *
 * @param name     the event name ({@code vfio_save_block})
 * @param args     the arguments in declaration order, which is the order of the format's conversions
 * @param format   the compiled format
 * @param releases the releases that printed this form
 * @param line     the declaration's line in the catalog (for messages)
 */
public record EventDecl(String name, List<Arg> args, TraceEventFormat format, Releases releases, int line) {

    /** An argument: its C type, name, and what the type makes of the printed value. */
    public record Arg(String type, String name, ArgKind kind) {
    }

    public EventDecl {
        args = List.copyOf(args);
        if (args.size() != format.conversions()) {
            throw new IllegalArgumentException(name + ": " + args.size() + " arguments but " + format.conversions()
                    + " conversions in \"" + format.printf() + "\"");
        }
        for (int i = 0; i < args.size(); i++) {
            if (!args.get(i).kind().printableWith(format.conversion(i))) {
                throw new IllegalArgumentException(name + ": argument " + args.get(i).name() + " (" + args.get(i).type()
                        + ") printed with %" + format.conversion(i));
            }
        }
    }

    /** The index of the argument called {@code arg}, or -1. */
    public int indexOf(String arg) {
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).name().equals(arg)) {
                return i;
            }
        }
        return -1;
    }

    /** {@code name(type arg, ...) "printf"}, for messages. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name).append('(');
        for (int i = 0; i < args.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(args.get(i).type()).append(' ').append(args.get(i).name());
        }
        return sb.append(") \"").append(format.printf()).append("\" [").append(releases.label()).append(']').toString();
    }
}
