package com.aistock.rdagent.config;

import com.aistock.rdagent.system.SqlFiles;

/**
 * Where a managed file's versions are recorded: {@code rdagent_template_history} (templates and prompts) or
 * {@code rdagent_env_history}. Each table has its own statements, {@code sql/<prefix>-<operation>.sql}.
 */
public enum HistoryTable {
    TEMPLATE("template-history"),
    ENV("env-history");

    private final String sqlPrefix;

    HistoryTable(String sqlPrefix) {
        this.sqlPrefix = sqlPrefix;
    }

    String sql(String operation) {
        return SqlFiles.load(sqlPrefix + "-" + operation);
    }
}
