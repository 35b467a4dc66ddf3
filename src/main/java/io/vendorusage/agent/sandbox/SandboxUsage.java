package io.vendorusage.agent.sandbox;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.context.ApplicationScoped;

import io.vendorusage.agent.config.AgentConfig;
import io.vendorusage.agent.submission.period.KnownPeriod;
import io.vendorusage.agent.submission.period.OrgPeriod;
import io.vendorusage.agent.submission.period.PeriodCalendar;

/**
 * What the sandbox upstream has received, in memory. Like the real service it bills sum apps by adding
 * records and high-water-mark apps by their peak, per customer billing period, knowing which app is which from its
 * own setting ({@code agent.sandbox.high-water-mark-apps}), never from the agent's: each org has its own, anchored at
 * midnight UTC on a day of the month (2 to 28) derived from its id, so the quick start shows a period that is not
 * the calendar month.
 */
@ApplicationScoped
public class SandboxUsage {

    /** One received usage record. */
    public record Received(String id, String organizationId, String appId, BigDecimal quantity, Instant dateOccurred,
            Instant receivedAt) {
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();
    private final AgentConfig config;
    private final Clock clock;

    public SandboxUsage(AgentConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    String issueToken() {
        String token = "sandbox-" + UUID.randomUUID();
        tokens.add(token);
        return token;
    }

    boolean validToken(String token) {
        return tokens.contains(token);
    }

    Received add(String organizationId, String appId, BigDecimal quantity, Instant dateOccurred) {
        Received r = new Received(UUID.randomUUID().toString(), organizationId, appId, quantity, dateOccurred,
                clock.instant());
        received.add(r);
        return r;
    }

    public List<Received> all() {
        return List.copyOf(received);
    }

    /** @return per organization, per app: the billed usage of the org's current billing period */
    public Map<String, Map<String, BigDecimal>> currentPeriodUsage() {
        Instant now = clock.instant();
        Map<String, Map<String, BigDecimal>> usage = new TreeMap<>();
        for (Received r : received) {
            if (!periodOf(r.organizationId(), now).contains(r.dateOccurred())) {
                continue;
            }
            boolean peak = config.sandbox().highWaterMarkApps().map(apps -> apps.contains(r.appId())).orElse(false);
            usage.computeIfAbsent(r.organizationId(), k -> new TreeMap<>())
                    .merge(r.appId(), r.quantity(), peak ? BigDecimal::max : BigDecimal::add);
        }
        return usage;
    }

    /** @return the org's current billing period */
    OrgPeriod currentPeriod(String organizationId) {
        return periodOf(organizationId, clock.instant());
    }

    /** @return the org's billing period holding {@code instant}: monthly from its anchor day, at midnight UTC */
    static OrgPeriod periodOf(String organizationId, Instant instant) {
        int day = 2 + Math.floorMod(organizationId.toLowerCase(java.util.Locale.ROOT).hashCode(), 27);
        Instant anchor = java.time.LocalDate.of(2020, 1, day).atStartOfDay(ZoneOffset.UTC).toInstant();
        return PeriodCalendar.of(List.of(new KnownPeriod(anchor, PeriodCalendar.step(anchor, 1))))
                .periodOf(instant);
    }
}
