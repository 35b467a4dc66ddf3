package io.vendorusage.agent.submission;

import java.math.BigDecimal;
import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.hibernate.annotations.DynamicUpdate;

import io.vendorusage.agent.config.AppMode;
import io.vendorusage.agent.submission.period.PeriodSource;

/**
 * One usage record of the ledger: what one upstream POST carries, and how far it got. The events it carries
 * point at it; their status follows from its state. Updates write only the columns that changed, so a planner's
 * bulk update of {@code eventCount} and a ledger transition on the same row never undo each other.
 */
@Entity
@DynamicUpdate
@Table(name = "submission")
public class Submission {

    @Id
    @Column(length = 64)
    public String id;

    @Column(name = "organization_id", nullable = false, length = 36)
    public String organizationId;

    @Column(name = "app_id", nullable = false, length = 128)
    public String appId;

    @Column(name = "bucket_start", nullable = false)
    public Instant bucketStart;

    /** 1 for a window's first record; late events add revisions. */
    @Column(nullable = false)
    public int revision;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public AppMode mode;

    /** Sent as usageQuantity: the sum of its events (sum) or the window's new peak (high-water-mark). */
    @Column(nullable = false, precision = 24, scale = 6)
    public BigDecimal quantity;

    /** How many events the record carries (events a high-water-mark peak covers later are added). */
    @Column(name = "event_count", nullable = false)
    public int eventCount;

    /** When the oldest event the record carried at planning arrived: the backlog's age without reading events. */
    @Column(name = "first_received_at")
    public Instant firstReceivedAt;

    /** Whether the org's billing period of {@link #bucketStart} was confirmed when the record was planned. */
    @Column(name = "period_source", nullable = false, length = 16)
    @Convert(converter = PeriodSource.Column.class)
    public PeriodSource periodSource = PeriodSource.ASSUMED;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public SubmissionState state;

    @Column(nullable = false)
    public int attempts;

    @Column(name = "next_attempt_at", nullable = false)
    public Instant nextAttemptAt;

    @Column(name = "lease_owner", length = 64)
    public String leaseOwner;

    @Column(name = "lease_until")
    public Instant leaseUntil;

    /** The last attempt's classified outcome, e.g. {@code confirmed}, {@code rate-limited}, {@code ambiguous}. */
    @Column(name = "last_outcome", length = 32)
    public String lastOutcome;

    @Column(name = "last_http_status")
    public Integer lastHttpStatus;

    @Column(name = "last_error_code", length = 128)
    public String lastErrorCode;

    @Column(name = "last_error_message", length = 1000)
    public String lastErrorMessage;

    /** The upstream's contextId or ININ-Correlation-Id of the last answer. */
    @Column(name = "last_correlation_id", length = 128)
    public String lastCorrelationId;

    @Column(length = 256)
    public String confirmation;

    @Column(name = "upstream_id", length = 128)
    public String upstreamId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "last_sent_at")
    public Instant lastSentAt;

    @Column(name = "confirmed_at")
    public Instant confirmedAt;

    @Version
    @Column(nullable = false)
    public long version;
}
