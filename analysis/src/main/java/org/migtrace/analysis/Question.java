package org.migtrace.analysis;

/** Named queries over the views that commands ask (resources under questions/, header comment first). */
public enum Question {
    ITERATION_TABLE("iteration_table");

    private final String name;

    Question(String name) {
        this.name = name;
    }

    public String questionName() {
        return name;
    }

    public String sql() {
        return View.Sql.read("questions/" + name + ".sql");
    }
}
