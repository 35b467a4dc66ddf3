package io.vendorusage.agent.reconciliation;

import java.math.BigDecimal;
import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The audit trail: a decision on an uncertain record and the figures it was based on. */
@Entity
@Table(name = "settlement")
public class Settlement {

    @Id
    /** Given by the database on insert: a sequence default on PostgreSQL, the row id on SQLite. */
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "submission_id", nullable = false, length = 64)
    public String submissionId;

    @Column(name = "run_id", nullable = false, length = 40)
    public String runId;

    @Column(name = "decided_at", nullable = false)
    public Instant decidedAt;

    @Column(nullable = false, length = 16)
    @Convert(converter = SettlementDecision.Column.class)
    public SettlementDecision decision;

    @Column(name = "upstream_quantity", precision = 24, scale = 6)
    public BigDecimal upstreamQuantity;

    @Column(name = "confirmed_quantity", nullable = false, precision = 24, scale = 6)
    public BigDecimal confirmedQuantity;

    @Column(name = "uncertain_quantity", nullable = false, precision = 24, scale = 6)
    public BigDecimal uncertainQuantity;

    @Column(length = 500)
    public String note;
}
