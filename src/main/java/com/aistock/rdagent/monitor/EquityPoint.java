package com.aistock.rdagent.monitor;

/**
 * One day of a backtest: account value, daily return, benchmark return, and the cumulative excess return net
 * of cost.
 */
public record EquityPoint(String date, Double account, Double returns, Double bench, Double excess) {
}
