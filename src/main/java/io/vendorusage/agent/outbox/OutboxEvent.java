package io.vendorusage.agent.outbox;

import java.math.BigDecimal;
import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One accepted usage event, kept until the record carrying it has been confirmed and its retention has passed.
 * The row is inserted at ingest and written again only if the vendor's app cancels the event.
 */
@Entity
@Table(name = "outbox_event")
public class OutboxEvent {

    @Id
    /** Given by the database on insert: a sequence default on PostgreSQL, the row id on SQLite. */
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    /** The client's idempotency key. */
    @Column(name = "event_id", nullable = false, unique = true, length = 128)
    public String eventId;

    @Column(name = "organization_id", nullable = false, length = 36)
    public String organizationId;

    @Column(name = "app_id", nullable = false, length = 128)
    public String appId;

    @Column(nullable = false, precision = 24, scale = 6)
    public BigDecimal quantity;

    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;

    /** True when the client left {@code occurredAt} out and the agent stamped the receive time. */
    @Column(name = "occurred_at_defaulted", nullable = false)
    public boolean occurredAtDefaulted;

    /** Start (UTC) of the aggregation window the event falls in, fixed when it is accepted. */
    @Column(name = "bucket_start", nullable = false)
    public Instant bucketStart;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;

    /**
     * The event's ordinal in its window (organization, app, window start), in commit order. A record carries a
     * range of ordinals; the event's status follows from that record's state and is never stored here.
     */
    @Column(name = "window_seq", nullable = false)
    public long windowSeq;

    /** When the vendor's app cancelled the event (never billed then); null for every other event. */
    @Column(name = "cancelled_at")
    public Instant cancelledAt;
}
