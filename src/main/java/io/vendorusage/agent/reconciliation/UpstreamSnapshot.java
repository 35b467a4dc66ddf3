package io.vendorusage.agent.reconciliation;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

import io.vendorusage.agent.reconciliation.FiguresQuery.Key;
import io.vendorusage.agent.upstream.OrganizationUsage;

/**
 * What the upstream said in one run: each listed org's usage of its current billing period, by org id, and the
 * per-app usage of the orgs whose detail was read.
 */
final class UpstreamSnapshot {

    private final Map<String, OrganizationUsage> listed;
    private final Map<String, Map<String, BigDecimal>> detailed = new HashMap<>();
    private final int regionsQueried;
    private final int regionsRead;

    UpstreamSnapshot(Map<String, OrganizationUsage> listed, int regionsQueried, int regionsRead) {
        this.listed = listed;
        this.regionsQueried = regionsQueried;
        this.regionsRead = regionsRead;
    }

    void detailed(String organizationId, Map<String, BigDecimal> usage) {
        detailed.put(organizationId, usage);
    }

    Map<String, OrganizationUsage> listed() {
        return listed;
    }

    OrganizationUsage listing(String organizationId) {
        return listed.get(organizationId);
    }

    int regionsQueried() {
        return regionsQueried;
    }

    /** @return whether no region could be read although some were asked */
    boolean nothingRead() {
        return regionsRead == 0 && regionsQueried > 0;
    }

    /**
     * The upstream's figure for a line: the org detail's per-part usage when it was read and lists the app, else
     * the listing's; zero for an org that is listed (or detailed) without the app; null when the upstream said
     * nothing about the org.
     */
    BigDecimal figure(Key key) {
        Map<String, BigDecimal> detail = detailed.get(key.organizationId());
        if (detail != null && detail.containsKey(key.appId())) {
            return detail.get(key.appId());
        }
        OrganizationUsage org = listed.get(key.organizationId());
        if (org != null) {
            return org.usageQuantities().getOrDefault(key.appId(), BigDecimal.ZERO);
        }
        return detail != null ? BigDecimal.ZERO : null;
    }
}
