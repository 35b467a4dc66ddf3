package io.vendorusage.agent.reconciliation;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
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

    @Column(nullable = false, length = 16)
    @Convert(converter = RunOutcome.Column.class)
    public RunOutcome outcome;

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

    /** @return a new run, its id made of its start and a random part */
    static ReconciliationRun startedAt(Instant now) {
        ReconciliationRun run = new ReconciliationRun();
        run.id = "rec-" + now.toString().replace(":", "").replace(".", "") + "-"
                + UUID.randomUUID().toString().substring(0, 8);
        run.startedAt = now;
        return run;
    }
}
