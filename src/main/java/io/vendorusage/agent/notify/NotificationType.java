package io.vendorusage.agent.notify;

import java.util.Arrays;
import java.util.Optional;

/** What a notification tells; {@link #wireName()} is its CloudEvent {@code type}. */
public enum NotificationType {
    /** A record failed for good: its events wait for an operator. */
    RECORD_FAILED("io.vendorusage.record.failed"),
    /** A sum record's POST may or may not have been billed: held for reconciliation or an operator. */
    RECORD_UNCERTAIN("io.vendorusage.record.uncertain"),
    /** Reconciliation settled an uncertain record: billed (confirmed) or not billed (sent again). */
    RECORD_SETTLED("io.vendorusage.record.settled"),
    /** The upstream's figure of an (org, app, period) differs from what the agent confirmed. */
    RECONCILIATION_DRIFT("io.vendorusage.reconciliation.drift"),
    /** An org's billing period closes before its waiting usage can drain at the current pace. */
    PERIOD_AT_RISK("io.vendorusage.period.at-risk"),
    /** An org's accepted usage of an app reached a configured threshold within its billing period. */
    USAGE_THRESHOLD_CROSSED("io.vendorusage.usage.threshold-crossed");

    private final String wireName;

    NotificationType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<NotificationType> ofWireName(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }
}
