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
        List<?> eventRows = em.createNativeQuery("SELECT e.app_id, s.state, COUNT(*), SUM(e.quantity), MAX(e.quantity),"
                + " " + CANCELLED + " FROM outbox_event e" + AuditSql.RECORD_OF_EVENT
                + " WHERE e.organization_id = ?1 AND e.bucket_start >= ?2 AND e.bucket_start < ?3"
                + " GROUP BY e.app_id, s.state, " + CANCELLED)
                .setParameter(1, organizationId).setParameter(2, from).setParameter(3, to).getResultList();
        for (Object o : eventRows) {
            Object[] r = (Object[]) o;
            AppBuilder app = apps.computeIfAbsent((String) r[0], this::app);
            OutboxStatus status = ((Number) r[5]).intValue() == 1 ? OutboxStatus.CANCELLED : r[1] == null
                    ? OutboxStatus.PENDING : SubmissionState.valueOf((String) r[1]).eventStatus();
            BigDecimal quantity = StoreValues.decimal(app.mode == AppMode.SUM ? r[3] : r[4]);
            app.events.merge(status, new AuditView.Tally(((Number) r[2]).longValue(), quantity),
                    (a, b) -> new AuditView.Tally(a.count() + b.count(), app.fold.apply(a.quantity(), b.quantity())));
        }

        Map<String, List<AuditView.Window>> windows = new LinkedHashMap<>();
        em.createNativeQuery("SELECT w.submission_id, w.bucket_start, w.first_seq, w.last_seq FROM submission_window w"
                + " WHERE w.organization_id = ?1 AND w.bucket_start >= ?2 AND w.bucket_start < ?3"
                + " ORDER BY w.bucket_start, w.first_seq").setParameter(1, organizationId).setParameter(2, from)
                .setParameter(3, to).getResultList().forEach(o -> {
                    Object[] r = (Object[]) o;
                    windows.computeIfAbsent((String) r[0], k -> new ArrayList<>()).add(new AuditView.Window(
                            StoreValues.instant(r[1]), ((Number) r[2]).longValue(), ((Number) r[3]).longValue()));
                });
        List<?> records = em.createNativeQuery("SELECT s.id, s.app_id, s.bucket_start, s.revision, s.quantity,"
                + " s.event_count, s.state, s.attempts, s.confirmation, s.upstream_id, s.last_correlation_id,"
                + " s.confirmed_at, s.last_outcome FROM submission s WHERE s.organization_id = ?1"
                + " AND s.bucket_start >= ?2 AND s.bucket_start < ?3 ORDER BY s.app_id, s.bucket_start, s.revision")
                .setParameter(1, organizationId).setParameter(2, from).setParameter(3, to).getResultList();
        for (Object o : records) {
            Object[] r = (Object[]) o;
            AppBuilder app = apps.computeIfAbsent((String) r[1], this::app);
            SubmissionState state = SubmissionState.valueOf((String) r[6]);
            BigDecimal quantity = StoreValues.decimal(r[4]);
            app.records.add(new AuditView.Record((String) r[0], StoreValues.instant(r[2]),
                    windows.getOrDefault((String) r[0], List.of()), ((Number) r[3]).intValue(), quantity,
                    ((Number) r[5]).longValue(), state.name().toLowerCase(Locale.ROOT), ((Number) r[7]).intValue(),
                    (String) r[8], (String) r[9], (String) r[10], StoreValues.instant(r[11]), (String) r[12]));
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
