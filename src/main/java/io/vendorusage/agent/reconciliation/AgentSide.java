package io.vendorusage.agent.reconciliation;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.vendorusage.agent.config.AppMode;
import io.vendorusage.agent.reconciliation.FiguresQuery.Key;

/**
 * The agent's side of one run: its figures per (org, app) over each org's current billing period. Every org starts
 * on the UTC calendar month; an org with known periods gets its figures computed again over its own.
 */
final class AgentSide {

    private final FiguresQuery query;
    private final Instant lagCutoff;
    private final Period calendar;
    private final Map<Key, Figures> figures;
    private final Map<String, Period> periods = new HashMap<>();

    /** @param lagCutoff confirmations before this instant should show upstream by now */
    AgentSide(FiguresQuery query, Instant now, Instant lagCutoff) {
        this.query = query;
        this.lagCutoff = lagCutoff;
        this.calendar = Period.calendarMonthOf(now);
        this.figures = query.figures(calendar.start(), calendar.end(), lagCutoff, Optional.empty());
    }

    /** Uses an org's real billing period: its figures are computed again over it. */
    void adopt(String organizationId, Period period) {
        periods.put(organizationId, period);
        if (period.sameSpan(calendar)) {
            return;
        }
        figures.keySet().removeIf(k -> k.organizationId().equals(organizationId));
        figures.putAll(query.figures(period.start(), period.end(), lagCutoff, Optional.of(organizationId)));
    }

    /**
     * @param listed the orgs the upstream's listing named
     * @return orgs with uncertain records whose settling needs the org detail: their current billing period is not
     *         confirmed, or the listing did not name them (their figure is unknown)
     */
    Set<String> uncertainNeedingDetail(Set<String> listed) {
        Set<String> wanted = new LinkedHashSet<>();
        figures.forEach((k, f) -> {
            if (f.uncertain().signum() > 0 && (!Period.UPSTREAM.equals(periodOf(k.organizationId()).source())
                    || !listed.contains(k.organizationId()))) {
                wanted.add(k.organizationId());
            }
        });
        return wanted;
    }

    Period periodOf(String organizationId) {
        return periods.getOrDefault(organizationId, calendar);
    }

    /** @return the figures of a line; zero in the app's mode when the agent has none */
    Figures figures(Key key, AppMode mode) {
        return figures.getOrDefault(key, Figures.empty(mode));
    }

    Set<Key> keys() {
        return figures.keySet();
    }

    Instant lagCutoff() {
        return lagCutoff;
    }
}
