package io.vendorusage.agent.config;

/** How a premium app's usage is billed, configured per app as {@code agent.apps."<appId>".mode}. */
public enum AppMode {
    /** Every record adds to the period's usage (minutes, API hits). */
    SUM,
    /** The period's peak counts (seats, wallboards); written {@code high-water-mark}. */
    HIGH_WATER_MARK
}
