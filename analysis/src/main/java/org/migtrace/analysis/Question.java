package org.migtrace.analysis;

/** Named queries over the views that commands ask (resources under questions/, header comment first). */
public enum Question {
    ITERATION_TABLE("iteration_table"),
    DIVERGENCE_TABLE("divergence_table"),
    CHART_PENDING("chart_pending"),
    CHART_DIRTY_RATE("chart_dirty_rate"),
    CHART_DEVICE_STATES("chart_device_states");

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
