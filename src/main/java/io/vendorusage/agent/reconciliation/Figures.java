package io.vendorusage.agent.reconciliation;

import java.math.BigDecimal;
import java.time.Instant;

import io.vendorusage.agent.config.AppMode;

/**
 * The agent's side of one (org, app, billing period): what it confirmed (all, and the part older than the
 * upstream lag), what is uncertain, and what is still on its way. Quantities follow the app's mode: sums
 * for sum apps, peaks for high-water-mark apps.
 */
record Figures(AppMode mode, BigDecimal confirmed, BigDecimal confirmedBeforeLag, BigDecimal uncertain,
        Instant lastUncertainAt, BigDecimal pending, long sending) {

    static Figures empty(AppMode mode) {
        return new Figures(mode, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, null, BigDecimal.ZERO, 0);
    }

    BigDecimal recent() {
        return mode == AppMode.SUM ? confirmed.subtract(confirmedBeforeLag)
                : confirmed.compareTo(confirmedBeforeLag) > 0 ? confirmed : BigDecimal.ZERO;
    }

    Figures combine(Figures o) {
        boolean sum = mode == AppMode.SUM;
        Instant last = lastUncertainAt == null ? o.lastUncertainAt
                : o.lastUncertainAt == null || lastUncertainAt.isAfter(o.lastUncertainAt) ? lastUncertainAt
                        : o.lastUncertainAt;
        return new Figures(mode, sum ? confirmed.add(o.confirmed) : confirmed.max(o.confirmed),
                sum ? confirmedBeforeLag.add(o.confirmedBeforeLag) : confirmedBeforeLag.max(o.confirmedBeforeLag),
                sum ? uncertain.add(o.uncertain) : uncertain.max(o.uncertain), last,
                sum ? pending.add(o.pending) : pending.max(o.pending), sending + o.sending);
    }
}
