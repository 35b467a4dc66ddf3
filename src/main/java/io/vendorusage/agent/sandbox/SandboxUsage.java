package io.vendorusage.agent.sandbox;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
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
import io.vendorusage.agent.config.AppMode;

/**
 * What the sandbox upstream has received, in memory. Like the real service it bills sum apps by adding
 * records and high-water-mark apps by their peak, per customer billing month (calendar month UTC here).
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

    /** @return per organization, per app: the billed usage of the current billing month */
    public Map<String, Map<String, BigDecimal>> currentPeriodUsage() {
        YearMonth month = YearMonth.now(clock.withZone(ZoneOffset.UTC));
        Map<String, Map<String, BigDecimal>> usage = new TreeMap<>();
        for (Received r : received) {
            if (!YearMonth.from(r.dateOccurred().atZone(ZoneOffset.UTC)).equals(month)) {
                continue;
            }
            boolean peak = config.apps().containsKey(r.appId())
                    && config.apps().get(r.appId()).mode() == AppMode.HIGH_WATER_MARK;
            usage.computeIfAbsent(r.organizationId(), k -> new TreeMap<>())
                    .merge(r.appId(), r.quantity(), peak ? BigDecimal::max : BigDecimal::add);
        }
        return usage;
    }

    YearMonth currentMonth() {
        return YearMonth.now(clock.withZone(ZoneOffset.UTC));
    }
}
