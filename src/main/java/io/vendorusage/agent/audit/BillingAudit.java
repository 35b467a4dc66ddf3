package io.vendorusage.agent.audit;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BinaryOperator;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;

import io.vendorusage.agent.config.AppMode;
import io.vendorusage.agent.config.AppModes;
import io.vendorusage.agent.outbox.OutboxStatus;
import io.vendorusage.agent.reconciliation.ReconciliationRow;
import io.vendorusage.agent.reconciliation.ReconciliationStore;
import io.vendorusage.agent.store.StoreValues;
import io.vendorusage.agent.submission.SubmissionState;

/**
 * The answer to "why was my organization billed N for that month?": per app, the events the agent accepted
 * (by status), the records they went into with the upstream's confirmation, and what the latest reconciliation
 * read upstream. A month is a UTC calendar month; an event belongs to it by the window it was aggregated in.
 */
@ApplicationScoped
public class BillingAudit {

    private final EntityManager em;
    private final AppModes modes;
    private final ReconciliationStore reconciliation;

    public BillingAudit(EntityManager em, AppModes modes, ReconciliationStore reconciliation) {
        this.em = em;
        this.modes = modes;
        this.reconciliation = reconciliation;
    }

    /** 1 for a cancelled event, 0 for any other. */
    private static final String CANCELLED = "CASE WHEN e.cancelled_at IS NULL THEN 0 ELSE 1 END";

    @Transactional
    public AuditView report(String organizationId, AuditPeriod period) {
        OffsetDateTime from = utc(period.start());
        OffsetDateTime to = utc(period.end());
        Map<String, AppBuilder> apps = new TreeMap<>();

        // a cancelled event is counted as cancelled, whatever record still lists its range
        List<?> eventRows = em.createNativeQuery("SELECT e.app_id AS app, s.state AS state, COUNT(*) AS n,"
                + " SUM(e.quantity) AS total, MAX(e.quantity) AS peak, " + CANCELLED + " AS cancelled FROM outbox_event e"
                + AuditSql.RECORD_OF_EVENT + " WHERE e.organization_id = ?1 AND e.bucket_start >= ?2"
                + " AND e.bucket_start < ?3 GROUP BY e.app_id, s.state, " + CANCELLED, Tuple.class)
                .setParameter(1, organizationId).setParameter(2, from).setParameter(3, to).getResultList();
        for (Object o : eventRows) {
            Tuple r = (Tuple) o;
            AppBuilder app = apps.computeIfAbsent(r.get("app", String.class), this::app);
            String state = r.get("state", String.class);
            OutboxStatus status = r.get("cancelled", Number.class).intValue() == 1 ? OutboxStatus.CANCELLED
                    : state == null ? OutboxStatus.PENDING : SubmissionState.valueOf(state).eventStatus();
            BigDecimal quantity = StoreValues.decimal(r.get(app.mode == AppMode.SUM ? "total" : "peak"));
            app.events.merge(status, new AuditView.Tally(r.get("n", Number.class).longValue(), quantity),
                    (a, b) -> new AuditView.Tally(a.count() + b.count(), app.fold.apply(a.quantity(), b.quantity())));
        }

        Map<String, List<AuditView.Window>> windows = new LinkedHashMap<>();
        em.createNativeQuery("SELECT w.submission_id AS record, w.bucket_start AS bucket, w.first_seq AS first,"
                + " w.last_seq AS last FROM submission_window w WHERE w.organization_id = ?1 AND w.bucket_start >= ?2"
                + " AND w.bucket_start < ?3 ORDER BY w.bucket_start, w.first_seq", Tuple.class)
                .setParameter(1, organizationId).setParameter(2, from).setParameter(3, to).getResultList().forEach(o -> {
                    Tuple r = (Tuple) o;
                    windows.computeIfAbsent(r.get("record", String.class), k -> new ArrayList<>()).add(
                            new AuditView.Window(StoreValues.instant(r.get("bucket")),
                                    r.get("first", Number.class).longValue(), r.get("last", Number.class).longValue()));
                });
        List<?> records = em.createNativeQuery("SELECT s.id AS id, s.app_id AS app, s.bucket_start AS bucket,"
                + " s.revision AS revision, s.quantity AS quantity, s.event_count AS events, s.state AS state,"
                + " s.attempts AS attempts, s.confirmation AS confirmation, s.upstream_id AS upstream,"
                + " s.last_correlation_id AS correlation, s.confirmed_at AS confirmed, s.last_outcome AS outcome"
                + " FROM submission s WHERE s.organization_id = ?1 AND s.bucket_start >= ?2 AND s.bucket_start < ?3"
                + " ORDER BY s.app_id, s.bucket_start, s.revision", Tuple.class)
                .setParameter(1, organizationId).setParameter(2, from).setParameter(3, to).getResultList();
        for (Object o : records) {
            Tuple r = (Tuple) o;
            AppBuilder app = apps.computeIfAbsent(r.get("app", String.class), this::app);
            SubmissionState state = SubmissionState.valueOf(r.get("state", String.class));
            BigDecimal quantity = StoreValues.decimal(r.get("quantity"));
            String id = r.get("id", String.class);
            app.records.add(new AuditView.Record(id, StoreValues.instant(r.get("bucket")),
                    windows.getOrDefault(id, List.of()), r.get("revision", Number.class).intValue(), quantity,
                    r.get("events", Number.class).longValue(), state.name().toLowerCase(Locale.ROOT),
                    r.get("attempts", Number.class).intValue(), r.get("confirmation", String.class),
                    r.get("upstream", String.class), r.get("correlation", String.class),
                    StoreValues.instant(r.get("confirmed")), r.get("outcome", String.class)));
            if (state == SubmissionState.CONFIRMED) {
                app.confirmed = app.confirmed == null ? quantity : app.fold.apply(app.confirmed, quantity);
            }
        }

        reconciliation.latestRun().ifPresent(run -> {
            for (ReconciliationRow row : reconciliation.rows(run.id, organizationId, null, null, 10_000)) {
                if (row.periodStart.isBefore(to.toInstant()) && row.periodEnd.isAfter(from.toInstant())) {
                    apps.computeIfAbsent(row.appId, this::app).upstream = new AuditView.Upstream(run.id,
                            run.startedAt, row.region, row.periodStart, row.periodEnd, row.periodSource,
                            row.upstreamQuantity, row.confirmedQuantity, row.status.wire(), row.note);
                }
            }
        });

        List<AuditView.App> views = new ArrayList<>();
        apps.forEach((appId, b) -> {
            Map<String, AuditView.Tally> byStatus = new LinkedHashMap<>();
            for (OutboxStatus s : OutboxStatus.values()) {
                byStatus.put(s.name().toLowerCase(Locale.ROOT), b.events.getOrDefault(s,
                        new AuditView.Tally(0, BigDecimal.ZERO)));
            }
            views.add(new AuditView.App(appId, b.mode.name().toLowerCase(Locale.ROOT).replace('_', '-'), byStatus,
                    b.confirmed == null ? BigDecimal.ZERO : b.confirmed, b.records, b.upstream));
        });
        return new AuditView(organizationId, period.name(), from.toInstant(), to.toInstant(), period.source(), views);
    }

    private AppBuilder app(String appId) {
        return new AppBuilder(modes.of(appId));
    }

    private static OffsetDateTime utc(java.time.Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /** One app's figures while they are gathered. */
    private static final class AppBuilder {
        final AppMode mode;
        /** How quantities combine: added for sum apps, the larger for high-water-mark apps. */
        final BinaryOperator<BigDecimal> fold;
        final Map<OutboxStatus, AuditView.Tally> events = new java.util.EnumMap<>(OutboxStatus.class);
        final List<AuditView.Record> records = new ArrayList<>();
        BigDecimal confirmed;
        AuditView.Upstream upstream;

        AppBuilder(AppMode mode) {
            this.mode = mode;
            this.fold = mode == AppMode.SUM ? BigDecimal::add : BigDecimal::max;
        }
    }
}
