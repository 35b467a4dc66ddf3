package io.vendorusage.agent.audit;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;

import io.vendorusage.agent.config.AgentConfig;
import io.vendorusage.agent.config.AppMode;
import io.vendorusage.agent.config.AppModes;
import io.vendorusage.agent.store.StoreValues;
import io.vendorusage.agent.submission.DrainEstimate;
import io.vendorusage.agent.submission.period.BillingPeriods;
import io.vendorusage.agent.submission.period.OrgPeriod;
import io.vendorusage.agent.submission.period.PeriodCalendar;

/**
 * The billing periods about to close and what of them is not yet confirmed upstream. Each org has its own period
 * (anchored on its contract date; the UTC month while the org's is not known), so what is unconfirmed is gathered
 * per (org, app, the org's period holding its window) and listed soonest close first. Usage sent after its period
 * closes is probably lost, so the question is whether the drain fits before each close.
 */
@ApplicationScoped
public class PeriodClose {

    /** A window's events are overdue when still unconfirmed this long after the window closed and its grace. */
    static final Duration OVERDUE_AFTER = Duration.ofMinutes(15);
    /** The longest billing period: windows older than this before the grace cannot be in a period still open. */
    private static final Duration LONGEST_PERIOD = Duration.ofDays(32);
    /** Lines listed at most; the soonest-closing first. */
    static final int MAX_LINES = 500;

    private final EntityManager em;
    private final BillingPeriods periods;
    private final DrainEstimate drains;
    private final AppModes modes;
    private final AgentConfig config;
    private final Clock clock;

    public PeriodClose(EntityManager em, BillingPeriods periods, DrainEstimate drains, AppModes modes,
            AgentConfig config, Clock clock) {
        this.em = em;
        this.periods = periods;
        this.drains = drains;
        this.modes = modes;
        this.config = config;
        this.clock = clock;
    }

    /** One (org, app, window)'s unconfirmed usage as read from the store. */
    private record WindowRow(String organizationId, String appId, Instant window, String state, long events,
            long records, BigDecimal sum, BigDecimal max, boolean overdue) {
    }

    /** The key of a line: (org, app, period start). */
    private record LineKey(String organizationId, String appId, Instant periodStart) {
    }

    @Transactional
    public PeriodView current() {
        Instant now = clock.instant();
        OrgPeriod month = PeriodCalendar.unknown().periodOf(now);
        Gathered g = gather(now);
        List<PeriodView.Line> out = new ArrayList<>();
        long unplannedWindows = 0;
        for (var e : g.lines.entrySet()) {
            Unconfirmed u = e.getValue();
            unplannedWindows += u.unplannedWindows.size();
            AppMode mode = modes.of(e.getKey().appId());
            BigDecimal quantity = u.unplannedQuantity == null ? u.recordQuantity
                    : u.recordQuantity == null ? u.unplannedQuantity
                    : mode == AppMode.SUM ? u.unplannedQuantity.add(u.recordQuantity)
                    : u.unplannedQuantity.max(u.recordQuantity);
            out.add(new PeriodView.Line(e.getKey().organizationId(), e.getKey().appId(),
                    mode.name().toLowerCase(Locale.ROOT).replace('_', '-'), u.period.start(), u.period.end(),
                    u.period.source().wire(), seconds(now, u.period.end()), u.unplannedEvents + u.recordEvents,
                    quantity, u.unplannedEvents, u.records));
        }
        out.sort(Comparator.comparing(PeriodView.Line::periodEnd).thenComparing(PeriodView.Line::organizationId)
                .thenComparing(PeriodView.Line::appId));
        DrainEstimate.Drain drain = drains.current();
        // every window not yet planned is at least one more POST
        double drainSeconds = drain.drainSeconds() + unplannedWindows * 60.0 / config.genesys().rateLimitPerMinute();
        Instant drained = now.plusMillis((long) (drainSeconds * 1000));
        Instant closesAt = out.stream().map(PeriodView.Line::periodEnd).filter(now::isBefore).findFirst()
                .orElse(month.end());
        return new PeriodView(now, month.start(), month.end(), closesAt, seconds(now, closesAt),
                drain.recordsDue() + unplannedWindows, drainSeconds, drained.isBefore(closesAt), out.size(),
                out.subList(0, Math.min(out.size(), MAX_LINES)));
    }

    /** What the close gauges show. */
    public record Overdue(long events, Instant closesAt) {
    }

    /**
     * @return the overdue events (unconfirmed although their window closed, with its grace, more than
     *         {@link #OVERDUE_AFTER} ago) of every org billing period still open, and the soonest close among the
     *         periods holding any (with none overdue, among open periods holding unconfirmed usage; else the UTC
     *         month's end). Cheap enough for every stats refresh: windows and records are read, no event.
     */
    @Transactional
    public Overdue overdue() {
        Instant now = clock.instant();
        long overdue = 0;
        Instant overdueClose = null;
        Instant anyClose = null;
        for (Unconfirmed u : gather(now).lines.values()) {
            Instant end = u.period.end();
            if (!end.isAfter(now)) {
                continue;
            }
            anyClose = anyClose == null || end.isBefore(anyClose) ? end : anyClose;
            if (u.overdueEvents > 0) {
                overdue += u.overdueEvents;
                overdueClose = overdueClose == null || end.isBefore(overdueClose) ? end : overdueClose;
            }
        }
        Instant close = overdueClose != null ? overdueClose
                : anyClose != null ? anyClose : PeriodCalendar.unknown().periodOf(now).end();
        return new Overdue(overdue, close);
    }

    /** Unconfirmed usage by (org, app, period), for periods not closed longer ago than the closed-period grace. */
    private Gathered gather(Instant now) {
        Duration grace = config.submission().closedPeriodGrace();
        Instant since = now.minus(grace).minus(LONGEST_PERIOD).minus(config.submission().bucket());
        Instant overdueBefore = now.minus(config.submission().bucket()).minus(config.submission().grace())
                .minus(OVERDUE_AFTER);
        List<WindowRow> rows = new ArrayList<>();
        // events no record carries yet (the backlog of their windows)
        for (Object o : em.createNativeQuery("SELECT e.organization_id AS org, e.app_id AS app, e.bucket_start AS bucket,"
                + " COUNT(*) AS n, SUM(e.quantity) AS total, MAX(e.quantity) AS peak FROM outbox_window ow JOIN outbox_event e"
                + " ON e.organization_id = ow.organization_id AND e.app_id = ow.app_id"
                + " AND e.bucket_start = ow.bucket_start AND e.window_seq > ow.planned_count"
                + " AND e.cancelled_at IS NULL WHERE ow.has_backlog = TRUE AND ow.bucket_start >= ?1"
                + " GROUP BY e.organization_id, e.app_id, e.bucket_start", Tuple.class).setParameter(1, utc(since))
                .getResultList()) {
            Tuple r = (Tuple) o;
            Instant window = StoreValues.instant(r.get("bucket"));
            rows.add(new WindowRow(r.get("org", String.class), r.get("app", String.class), window, null,
                    r.get("n", Number.class).longValue(), 0, StoreValues.decimal(r.get("total")),
                    StoreValues.decimal(r.get("peak")), window.isBefore(overdueBefore)));
        }
        // records not confirmed yet: planned, being sent, held as uncertain, failed
        for (Object o : em.createNativeQuery("SELECT s.organization_id AS org, s.app_id AS app, s.bucket_start AS bucket,"
                + " s.state AS state, COUNT(*) AS records, SUM(s.event_count) AS n, SUM(s.quantity) AS total,"
                + " MAX(s.quantity) AS peak FROM submission s WHERE s.state <> 'CONFIRMED' AND s.bucket_start >= ?1"
                + " GROUP BY s.organization_id, s.app_id, s.bucket_start, s.state", Tuple.class)
                .setParameter(1, utc(since)).getResultList()) {
            Tuple r = (Tuple) o;
            Instant window = StoreValues.instant(r.get("bucket"));
            rows.add(new WindowRow(r.get("org", String.class), r.get("app", String.class), window,
                    r.get("state", String.class).toLowerCase(Locale.ROOT), r.get("n", Number.class).longValue(),
                    r.get("records", Number.class).longValue(), StoreValues.decimal(r.get("total")),
                    StoreValues.decimal(r.get("peak")), window.isBefore(overdueBefore)));
        }
        Set<String> orgs = new HashSet<>();
        rows.forEach(r -> orgs.add(r.organizationId()));
        Map<String, PeriodCalendar> calendars = periods.calendars(orgs);
        Gathered g = new Gathered();
        for (WindowRow r : rows) {
            OrgPeriod period = calendars.getOrDefault(r.organizationId(), PeriodCalendar.unknown())
                    .periodOf(r.window());
            if (!now.isBefore(period.end().plus(grace))) {
                continue;
            }
            Unconfirmed u = g.lines.computeIfAbsent(new LineKey(r.organizationId(), r.appId(), period.start()),
                    k -> new Unconfirmed(period));
            boolean sum = modes.of(r.appId()) == AppMode.SUM;
            BigDecimal q = sum ? r.sum() : r.max();
            if (r.overdue()) {
                u.overdueEvents += r.events();
            }
            if (r.state() == null) {
                u.unplannedEvents += r.events();
                u.unplannedWindows.add(r.window());
                u.unplannedQuantity = u.unplannedQuantity == null ? q : sum ? u.unplannedQuantity.add(q)
                        : u.unplannedQuantity.max(q);
            } else {
                u.records.merge(r.state(), r.records(), Long::sum);
                u.recordEvents += r.events();
                u.recordQuantity = u.recordQuantity == null ? q : sum ? u.recordQuantity.add(q)
                        : u.recordQuantity.max(q);
            }
        }
        return g;
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static final class Gathered {
        final Map<LineKey, Unconfirmed> lines = new java.util.HashMap<>();
    }

    /** One org, app and period's unconfirmed usage while it is gathered. */
    private static final class Unconfirmed {
        final OrgPeriod period;
        long unplannedEvents;
        final Set<Instant> unplannedWindows = new HashSet<>();
        long overdueEvents;
        BigDecimal unplannedQuantity;
        final Map<String, Long> records = new TreeMap<>();
        long recordEvents;
        BigDecimal recordQuantity;

        Unconfirmed(OrgPeriod period) {
            this.period = period;
        }
    }
}
