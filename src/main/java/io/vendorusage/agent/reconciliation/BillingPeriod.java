package io.vendorusage.agent.reconciliation;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A customer org's current billing period as the upstream reported it; reused until it ends. */
@Entity
@Table(name = "billing_period")
public class BillingPeriod {

    @Id
    @Column(name = "organization_id", length = 36)
    public String organizationId;

    @Column(name = "period_start", nullable = false)
    public Instant periodStart;

    /** Exclusive. */
    @Column(name = "period_end", nullable = false)
    public Instant periodEnd;

    @Column(length = 32)
    public String region;

    @Column(name = "fetched_at", nullable = false)
    public Instant fetchedAt;
}
