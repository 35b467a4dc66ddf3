package io.vendorusage.agent.reconciliation;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One line of a report: an org, an app, a billing period, both sides' figures and a status. */
@Entity
@Table(name = "reconciliation_row")
public class ReconciliationRow {

    @Id
    /** Given by the database on insert: a sequence default on PostgreSQL, the row id on SQLite. */
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "run_id", nullable = false, length = 40)
    public String runId;

    @Column(name = "organization_id", nullable = false, length = 36)
    public String organizationId;

    @Column(name = "app_id", nullable = false, length = 128)
    public String appId;

    @Column(length = 32)
    public String region;

    @Column(name = "period_start", nullable = false)
    public Instant periodStart;

    @Column(name = "period_end", nullable = false)
    public Instant periodEnd;

    /** {@code upstream} (learnt from the org's detail) or {@code assumed} (the UTC calendar month). */
    @Column(name = "period_source", nullable = false, length = 16)
    public String periodSource;

    @Column(nullable = false, length = 16)
    public String mode;

    /** What the upstream bills; null when the org is not in its listing. */
    @Column(name = "upstream_quantity", precision = 24, scale = 6)
    public BigDecimal upstreamQuantity;

    /** Confirmed records: their sum (sum apps) or peak (high-water-mark apps). */
    @Column(name = "confirmed_quantity", nullable = false, precision = 24, scale = 6)
    public BigDecimal confirmedQuantity;

    /** The part of the confirmed figure younger than agent.reconciliation.upstream-lag. */
    @Column(name = "recent_quantity", nullable = false, precision = 24, scale = 6)
    public BigDecimal recentQuantity;

    @Column(name = "uncertain_quantity", nullable = false, precision = 24, scale = 6)
    public BigDecimal uncertainQuantity;

    /** Not yet sent: planned or in-flight records and events not yet in a record. */
    @Column(name = "pending_quantity", nullable = false, precision = 24, scale = 6)
    public BigDecimal pendingQuantity;

    @Column(nullable = false, length = 24)
    @Convert(converter = RowStatus.Column.class)
    public RowStatus status;

    @Column(length = 500)
    public String note;

    /** @return the report line of a run for one line of figures and its verdict */
    static ReconciliationRow of(String runId, Line line, RowClassifier.Verdict verdict) {
        ReconciliationRow row = new ReconciliationRow();
        row.runId = runId;
        row.organizationId = line.key().organizationId();
        row.appId = line.key().appId();
        row.region = line.listing() == null ? null : truncate(line.listing().region(), 32);
        row.periodStart = line.period().start();
        row.periodEnd = line.period().end();
        row.periodSource = line.period().source();
        row.mode = line.figures().mode().name().toLowerCase(Locale.ROOT).replace('_', '-');
        row.upstreamQuantity = line.upstream();
        row.confirmedQuantity = line.figures().confirmed();
        row.recentQuantity = line.figures().recent();
        row.uncertainQuantity = line.figures().uncertain();
        row.pendingQuantity = line.figures().pending();
        row.status = verdict.status();
        row.note = verdict.note() == null ? null : truncate(verdict.note(), 500);
        return row;
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
