package io.vendorusage.agent.outbox;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A validated event about to be appended to the outbox.
 *
 * @param occurredAtDefaulted the client omitted {@code occurredAt} and {@code occurredAt} is the receive time
 */
public record NewEvent(String eventId, String organizationId, String appId, BigDecimal quantity, Instant occurredAt,
        boolean occurredAtDefaulted) {

    /** @return whether {@code stored} holds what this event says, as the idempotency rule compares it */
    public boolean sameContentAs(OutboxEvent stored) {
        return organizationId.equals(stored.organizationId)
                && appId.equals(stored.appId)
                && quantity.compareTo(stored.quantity) == 0
                && (occurredAtDefaulted ? stored.occurredAtDefaulted : occurredAt.equals(stored.occurredAt));
    }

    /** @return whether {@code other}, sent earlier in the same request, says the same */
    public boolean sameContentAs(NewEvent other) {
        return organizationId.equals(other.organizationId)
                && appId.equals(other.appId)
                && quantity.compareTo(other.quantity) == 0
                && (occurredAtDefaulted == other.occurredAtDefaulted && (occurredAtDefaulted
                        || occurredAt.equals(other.occurredAt)));
    }
}
