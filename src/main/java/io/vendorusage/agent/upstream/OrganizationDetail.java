package io.vendorusage.agent.upstream;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * A customer org's billing period (start inclusive, end exclusive, UTC) and per-app usage in it.
 */
public record OrganizationDetail(String organizationId, String region, Instant billingPeriodStart,
        Instant billingPeriodEnd, Map<String, BigDecimal> usageQuantities) {
}
