package com.aistock.rdagent.task;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The seven numbers a researcher compares Qlib experiments by, as RD-Agent's bandit reads them: the signal's IC
 * family and the backtest of the excess return net of cost. Higher is better for each (a drawdown is negative).
 */
public enum Metric {
    IC("ic", "IC"),
    ICIR("icir", "ICIR"),
    RANK_IC("rank_ic", "Rank IC"),
    RANK_ICIR("rank_icir", "Rank ICIR"),
    ANNUALIZED_RETURN("annualized_return", "1day.excess_return_with_cost.annualized_return"),
    INFORMATION_RATIO("information_ratio", "1day.excess_return_with_cost.information_ratio"),
    MAX_DRAWDOWN("max_drawdown", "1day.excess_return_with_cost.max_drawdown");

    /** What a task ranks its experiments by unless it says otherwise. */
    public static final Metric DEFAULT_RANKING = ANNUALIZED_RETURN;

    private final String key;
    private final String qlibName;

    Metric(String key, String qlibName) {
        this.key = key;
        this.qlibName = qlibName;
    }

    /** The name in the API ({@code values.annualized_return}, {@code rank_by}). */
    public String key() {
        return key;
    }

    /** The name in {@code qlib_res.csv}. */
    public String qlibName() {
        return qlibName;
    }

    public static Optional<Metric> byKey(String key) {
        return Arrays.stream(values()).filter(m -> m.key.equals(key)).findFirst();
    }

    public static List<String> keys() {
        return Arrays.stream(values()).map(Metric::key).toList();
    }
}
