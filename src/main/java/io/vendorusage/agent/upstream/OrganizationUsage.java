package io.vendorusage.agent.upstream;

import java.math.BigDecimal;
import java.util.Map;

/**
 * One customer org's billed usage in its current billing period, as the per-region listing reports it.
 *
 * @param region as the upstream spells it; an unknown value is kept, never an error
 */
public record OrganizationUsage(String organizationId, String name, String region,
        Map<String, BigDecimal> usageQuantities) {
}
