package io.vendorusage.agent.reconciliation;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One reconciliation run: when, how it went, what could not be read. */
@Entity
@Table(name = "reconciliation_run")
public class ReconciliationRun {

    @Id
    @Column(length = 40)
    public String id;

    @Column(name = "started_at", nullable = false)
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    /** The outcome of a run this agent left to another agent of the same store. */
    public static final String SKIPPED = "skipped";

    /**
     * {@code success}, {@code partial} (some regions or pages missing), {@code failed}, or {@code skipped}
     * (another agent on the same store was reconciling).
     */
    @Column(nullable = false, length = 16)
    public String outcome;

    @Column(name = "regions_queried", nullable = false)
    public int regionsQueried;

    @Column(name = "organizations_seen", nullable = false)
    public int organizationsSeen;

    @Column(name = "upstream_calls", nullable = false)
    public int upstreamCalls;

    @Column(name = "row_count", nullable = false)
    public int rowCount;

    /** What could not be read (regions, pages, org details), for the operator. */
    @Column(length = 2000)
    public String missing;
}
