package io.vendorusage.agent.upstream;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * What one usage POST carries.
 *
 * @param recordId the ledger id, for logs only (the upstream has no idempotency key)
 */
public record UsageRecord(String recordId, String organizationId, String appId, BigDecimal quantity,
        Instant dateOccurred) {
}
