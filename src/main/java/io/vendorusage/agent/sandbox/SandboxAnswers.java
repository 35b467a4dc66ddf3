package io.vendorusage.agent.sandbox;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.vendorusage.agent.config.AgentConfig;
import io.vendorusage.agent.submission.period.OrgPeriod;

/**
 * The sandbox's answers in the shapes of the Genesys API, built from {@link SandboxUsage}: a usage receipt, the
 * org listing in cursor pages, and an org's detail with its billing period and contract. {@link SandboxResource}
 * only speaks HTTP (tokens, validation, status codes).
 */
@ApplicationScoped
class SandboxAnswers {

    static final String USAGE = "/api/v2/billing/vendorusage/organizations";

    private final SandboxUsage usage;
    private final AgentConfig config;

    SandboxAnswers(SandboxUsage usage, AgentConfig config) {
        this.usage = usage;
        this.config = config;
    }

    /** The answer to a usage POST the sandbox took. */
    Map<String, Object> receipt(SandboxUsage.Received r, String organizationId) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", r.id());
        answer.put("appId", r.appId());
        answer.put("usageQuantity", r.quantity());
        answer.put("dateOccurred", r.dateOccurred().toString());
        answer.put("confirmation", "sandbox-" + r.id());
        answer.put("selfUri", USAGE + "/" + organizationId);
        return answer;
    }

    /**
     * One page of the org listing: the orgs of this region with usage of the given apps (all when empty) in
     * their current period, from the {@code from}-th on.
     */
    Map<String, Object> listingPage(String region, Set<String> apps, String appIds, int size, int from) {
        List<Map<String, Object>> all = new ArrayList<>();
        String ownRegion = config.genesys().region();
        if (region == null || region.equals(ownRegion)) {
            usage.currentPeriodUsage().forEach((org, byApp) -> {
                Map<String, BigDecimal> quantities = byApp.entrySet().stream()
                        .filter(e -> apps.isEmpty() || apps.contains(e.getKey()))
                        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a,
                                LinkedHashMap::new));
                if (!quantities.isEmpty()) {
                    all.add(Map.of("id", org, "name", "Sandbox org " + org.substring(0, 8), "region", ownRegion,
                            "usageQuantities", quantities));
                }
            });
        }
        int to = Math.min(all.size(), from + size);
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("entities", all.subList(Math.min(from, to), to));
        page.put("selfUri", USAGE);
        if (to < all.size()) {
            page.put("nextUri", USAGE + "?pageSize=" + size + "&after=" + to + (region == null ? "" : "&region=" + region)
                    + (appIds == null ? "" : "&appIds=" + appIds));
        }
        return page;
    }

    /** An org's detail: its current billing period (as dates, like Genesys), contract and usage of the given apps. */
    Map<String, Object> detail(String organizationId, Set<String> apps) {
        Map<String, BigDecimal> byApp = usage.currentPeriodUsage().getOrDefault(organizationId, Map.of());
        OrgPeriod period = usage.currentPeriod(organizationId);
        LocalDate first = period.start().atZone(ZoneOffset.UTC).toLocalDate();
        LocalDate last = period.end().atZone(ZoneOffset.UTC).toLocalDate().minusDays(1);
        List<Map<String, Object>> usages = new ArrayList<>();
        byApp.forEach((app, quantity) -> {
            if (apps.isEmpty() || apps.contains(app)) {
                usages.add(Map.of("appId", app, "chargeName", app, "partNumber", "SANDBOX-" + app,
                        "prepayQuantity", BigDecimal.ZERO, "usageQuantity", quantity));
            }
        });
        Map<String, Object> contract = new LinkedHashMap<>();
        contract.put("dateTermStart", first.minusMonths(first.getMonthValue() - 1).toString());
        contract.put("dateTermEnd", first.minusMonths(first.getMonthValue() - 1).plusYears(1).minusDays(1).toString());
        contract.put("currency", "USD");
        contract.put("dateRampPeriodStart", null);
        contract.put("dateRampPeriodEnd", null);
        contract.put("type", "Sandbox");
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("id", organizationId);
        detail.put("name", "Sandbox org");
        detail.put("region", config.genesys().region());
        detail.put("dateBillingPeriodStart", first.toString());
        detail.put("dateBillingPeriodEnd", last.toString());
        detail.put("contract", contract);
        detail.put("usages", usages);
        return detail;
    }
}
