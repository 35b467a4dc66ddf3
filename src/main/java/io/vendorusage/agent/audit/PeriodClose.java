package io.vendorusage.agent.audit;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.vendorusage.agent.config.AgentConfig;
import io.vendorusage.agent.config.AppMode;
import io.vendorusage.agent.config.AppModes;
import io.vendorusage.agent.reconciliation.BillingPeriod;
import io.vendorusage.agent.reconciliation.ReconciliationStore;
import io.vendorusage.agent.store.StoreValues;
import io.vendorusage.agent.submission.BillingMonth;
import io.vendorusage.agent.submission.DrainEstimate;

/**
 * The billing period about to close and what of it is not yet confirmed upstream. The period is the UTC calendar
 * month, or an organization's own billing period once reconciliation has read it from the upstream. Usage sent
 * after its period closes is probably lost, so the question is whether the drain fits before the close.
 */
@ApplicationScoped
public class PeriodClose {

    /** A window's events are overdue when still unconfirmed this long after the window closed and its grace. */
    static final Duration OVERDUE_AFTER = Duration.ofMinutes(15);

    private final EntityManager em;
    private final ReconciliationStore periods;
    private final DrainEstimate drains;
    private final AppModes modes;
    private final AgentConfig config;
    private final Clock clock;

    public PeriodClose(EntityManager em, ReconciliationStore periods, DrainEstimate drains, AppModes modes,
            AgentConfig config, Clock clock) {
        this.em = em;
        this.periods = periods;
        this.drains = drains;
        this.modes = modes;
        this.config = config;
        this.clock = clock;
    }

    @Transactional
    public PeriodView current() {
        Instant now = clock.instant();
        BillingMonth month = BillingMonth.of(now);
        Map<String, BillingPeriod> known = new HashMap<>();
        periods.currentPeriods(now).forEach(p -> known.put(p.organizationId, p));

        Map<List<String>, Unconfirmed> lines = new TreeMap<>(java.util.Comparator.comparing((List<String> k) -> k.get(0))
                .thenComparing(k -> k.get(1)));
        // events no record carries yet (the backlog of their windows)
        for (Object o : em.createNativeQuery("SELECT e.organization_id, e.app_id, COUNT(*), SUM(e.quantity),"
                + " MAX(e.quantity), COUNT(DISTINCT e.bucket_start) FROM outbox_window ow JOIN outbox_event e"
                + " ON e.organization_id = ow.organization_id AND e.app_id = ow.app_id"
                + " AND e.bucket_start = ow.bucket_start AND e.window_seq > ow.planned_count"
                + " WHERE ow.has_backlog = TRUE AND ow.bucket_start >= ?1 GROUP BY e.organization_id, e.app_id")
                .setParameter(1, utc(month.start())).getResultList()) {
            Object[] r = (Object[]) o;
            Unconfirmed u = lines.computeIfAbsent(List.of((String) r[0], (String) r[1]), k -> new Unconfirmed());
            u.unplannedEvents = ((Number) r[2]).longValue();
            u.unplannedQuantity = StoreValues.decimal(modes.of((String) r[1]) == AppMode.SUM ? r[3] : r[4]);
            u.unplannedWindows = ((Number) r[5]).longValue();
        }
        // records not confirmed yet: planned, being sent, held as uncertain, failed
        for (Object o : em.createNativeQuery("SELECT s.organization_id, s.app_id, s.state, COUNT(*), SUM(s.event_count),"
                + " SUM(s.quantity), MAX(s.quantity) FROM submission s WHERE s.state <> 'CONFIRMED'"
                + " AND s.bucket_start >= ?1 GROUP BY s.organization_id, s.app_id, s.state")
                .setParameter(1, utc(month.start())).getResultList()) {
            Object[] r = (Object[]) o;
            Unconfirmed u = lines.computeIfAbsent(List.of((String) r[0], (String) r[1]), k -> new Unconfirmed());
            u.records.put(((String) r[2]).toLowerCase(Locale.ROOT), ((Number) r[3]).longValue());
            u.recordEvents += ((Number) r[4]).longValue();
            BigDecimal q = StoreValues.decimal(modes.of((String) r[1]) == AppMode.SUM ? r[5] : r[6]);
            u.recordQuantity = u.recordQuantity == null ? q
                    : modes.of((String) r[1]) == AppMode.SUM ? u.recordQuantity.add(q) : u.recordQuantity.max(q);
        }

        List<PeriodView.Line> out = new ArrayList<>();
        long unplannedWindows = 0;
        Instant earliest = month.end();
        for (var e : lines.entrySet()) {
            String org = e.getKey().get(0);
            String app = e.getKey().get(1);
            Unconfirmed u = e.getValue();
            unplannedWindows += u.unplannedWindows;
            BillingPeriod p = known.get(org);
            Instant start = p != null ? p.periodStart : month.start();
            Instant end = p != null ? p.periodEnd : month.end();
            earliest = end.isBefore(earliest) ? end : earliest;
            AppMode mode = modes.of(app);
            BigDecimal quantity = u.unplannedQuantity == null ? u.recordQuantity
                    : u.recordQuantity == null ? u.unplannedQuantity
                    : mode == AppMode.SUM ? u.unplannedQuantity.add(u.recordQuantity)
                    : u.unplannedQuantity.max(u.recordQuantity);
            out.add(new PeriodView.Line(org, app, mode.name().toLowerCase(Locale.ROOT).replace('_', '-'), start, end,
                    p != null ? "upstream" : "assumed", u.unplannedEvents + u.recordEvents, quantity,
                    u.unplannedEvents, u.records));
        }
        DrainEstimate.Drain drain = drains.current();
        // every window not yet planned is at least one more POST
        double drainSeconds = drain.drainSeconds()
                + unplannedWindows * 60.0 / config.genesys().rateLimitPerMinute();
        Instant drained = now.plusMillis((long) (drainSeconds * 1000));
        return new PeriodView(now, month.start(), month.end(), earliest, seconds(now, earliest),
                drain.recordsDue() + unplannedWindows, drainSeconds, drained.isBefore(earliest), out);
    }

    /**
     * @return events of the current month whose window closed (with its grace) more than {@link #OVERDUE_AFTER}
     *         ago and that are still not confirmed; cheap enough for every stats refresh: windows and records are
     *         read, no event
     */
    @Transactional
    public long overdueEvents() {
        Instant now = clock.instant();
        BillingMonth month = BillingMonth.of(now);
        Instant cutoff = now.minus(config.submission().bucket()).minus(config.submission().grace())
                .minus(OVERDUE_AFTER);
        Number unplanned = (Number) em.createNativeQuery("SELECT COALESCE(SUM(ow.event_count - ow.planned_count), 0)"
                + " FROM outbox_window ow WHERE ow.has_backlog = TRUE AND ow.bucket_start >= ?1 AND ow.bucket_start < ?2")
                .setParameter(1, utc(month.start())).setParameter(2, utc(cutoff)).getSingleResult();
        Number open = (Number) em.createNativeQuery("SELECT COALESCE(SUM(s.event_count), 0) FROM submission s"
                + " WHERE s.state <> 'CONFIRMED' AND s.bucket_start >= ?1 AND s.bucket_start < ?2")
                .setParameter(1, utc(month.start())).setParameter(2, utc(cutoff)).getSingleResult();
        return unplanned.longValue() + open.longValue();
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /** One org and app's unconfirmed usage while it is gathered. */
    private static final class Unconfirmed {
        long unplannedEvents;
        long unplannedWindows;
        BigDecimal unplannedQuantity;
        final Map<String, Long> records = new TreeMap<>();
        long recordEvents;
        BigDecimal recordQuantity;
    }
}
