package io.vendorusage.agent.ingest;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;

import io.vendorusage.agent.outbox.OutboxEvent;
import io.vendorusage.agent.outbox.OutboxStatus;

/** A stored event as {@code GET /v1/usage-events/{eventId}} shows it. */
public record UsageEventView(String eventId, String organizationId, String appId, BigDecimal quantity,
        Instant occurredAt, String status, String submissionId,
        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        Instant cancelledAt) {

    static UsageEventView of(OutboxEvent e, OutboxStatus status, String submissionId) {
        return new UsageEventView(e.eventId, e.organizationId, e.appId, e.quantity.stripTrailingZeros(), e.occurredAt,
                status.name().toLowerCase(Locale.ROOT), submissionId, e.cancelledAt);
    }
}
