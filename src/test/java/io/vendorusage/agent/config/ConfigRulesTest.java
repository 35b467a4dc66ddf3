package io.vendorusage.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * The single-value rules of the {@code agent.*} settings, through SmallRye Config as Quarkus builds the agent's
 * configuration (without Quarkus): the defaults pass, each value past its bound is refused naming the property.
 */
class ConfigRulesTest {

    private static SmallRyeConfig build(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withMapping(AgentConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 500))
                .withCustomizers(new ConfigRules())
                .build();
    }

    private static List<String> problems(Map<String, String> properties) {
        ConfigValidationException e = assertThrows(ConfigValidationException.class, () -> build(properties));
        return IntStream.range(0, e.getProblemCount()).mapToObj(i -> e.getProblem(i).getMessage()).toList();
    }

    @Test
    void theDefaultsKeepEveryRule() {
        AgentConfig config = build(Map.of()).getConfigMapping(AgentConfig.class);
        assertEquals(List.of(), ConfigRules.problems(config));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "agent.data-dir | ' ' | agent.data-dir must not be blank, not \" \"",
            "agent.genesys.region | US_EAST | agent.genesys.region must be a region name such as us-east-1, not US_EAST",
            "agent.genesys.rate-limit-per-minute | 0 | agent.genesys.rate-limit-per-minute must be at least 1, not 0",
            "agent.genesys.rate-limit-per-minute | 100001 | agent.genesys.rate-limit-per-minute must be at most 100000, not 100001",
            "agent.genesys.credentials-retry | PT0.5S | agent.genesys.credentials-retry must be at least PT1S, not PT0.5S",
            "agent.submission.bucket | -PT1H | agent.submission.bucket must be at least PT1S, not PT-1H",
            "agent.submission.grace | -PT1S | agent.submission.grace must be at least PT0S, not PT-1S",
            "agent.submission.quiet | -PT1S | agent.submission.quiet must be at least PT0S, not PT-1S",
            "agent.submission.max-hold | -PT1S | agent.submission.max-hold must be at least PT0S, not PT-1S",
            "agent.submission.interval | PT0.05S | agent.submission.interval must be at least PT0.1S, not PT0.05S",
            "agent.submission.concurrency | 65 | agent.submission.concurrency must be at most 64, not 65",
            "agent.submission.concurrency | 0 | agent.submission.concurrency must be at least 1, not 0",
            "agent.submission.batch-size | 10001 | agent.submission.batch-size must be at most 10000, not 10001",
            "agent.submission.max-attempts | 0 | agent.submission.max-attempts must be at least 1, not 0",
            "agent.submission.retry-base | PT0S | agent.submission.retry-base must be at least PT0.001S, not PT0S",
            "agent.submission.retry-max-delay | PT0S | agent.submission.retry-max-delay must be at least PT0.001S, not PT0S",
            "agent.submission.lease | PT0.5S | agent.submission.lease must be at least PT1S, not PT0.5S",
            "agent.submission.closed-period-grace | -PT1S | agent.submission.closed-period-grace must be at least PT0S, not PT-1S",
            "agent.submission.billing-delay-objective | PT0S | agent.submission.billing-delay-objective must be at least PT1S, not PT0S",
            "agent.submission.period-retry | PT0S | agent.submission.period-retry must be at least PT1S, not PT0S",
            "agent.ingest.max-lateness | PT0S | agent.ingest.max-lateness must be at least PT1S, not PT0S",
            "agent.ingest.queue-capacity | 999 | agent.ingest.queue-capacity must be at least 1000, not 999",
            "agent.ingest.group-max-events | 0 | agent.ingest.group-max-events must be at least 1, not 0",
            "agent.reconciliation.max-detail-calls | -1 | agent.reconciliation.max-detail-calls must be at least 0, not -1",
            "agent.reconciliation.history-reports | 0 | agent.reconciliation.history-reports must be at least 1, not 0",
            "agent.reconciliation.interval | PT0S | agent.reconciliation.interval must be at least PT1S, not PT0S",
            "agent.reconciliation.initial-delay | -PT1S | agent.reconciliation.initial-delay must be at least PT0S, not PT-1S",
            "agent.reconciliation.regions | 'us-east-1,EU' | agent.reconciliation.regions must be a region name such as us-east-1, not EU",
            "agent.reconciliation.upstream-lag | -PT1S | agent.reconciliation.upstream-lag must be at least PT0S, not PT-1S",
            "agent.notifications.max-age | PT0S | agent.notifications.max-age must be at least PT1S, not PT0S",
            "agent.notifications.timeout | PT0.05S | agent.notifications.timeout must be at least PT0.1S, not PT0.05S",
            "agent.notifications.retry-base | PT0S | agent.notifications.retry-base must be at least PT0.01S, not PT0S",
            "agent.notifications.retry-max-delay | PT0S | agent.notifications.retry-max-delay must be at least PT0.01S, not PT0S",
            "agent.notifications.interval | PT0.5S | agent.notifications.interval must be at least PT1S, not PT0.5S",
            "agent.notifications.retention | PT59M | agent.notifications.retention must be at least PT1H, not PT59M",
            "agent.health.stuck-after | PT0S | agent.health.stuck-after must be at least PT1S, not PT0S",
            "agent.outbox.retention | PT59M | agent.outbox.retention must be at least PT1H, not PT59M",
            "agent.outbox.purge-interval | PT0S | agent.outbox.purge-interval must be at least PT1S, not PT0S",
            "agent.outbox.stats-interval | PT0.05S | agent.outbox.stats-interval must be at least PT0.1S, not PT0.05S" })
    void aValuePastItsBoundIsRefusedNamingTheProperty(String property, String value, String problem) {
        assertEquals(List.of(problem), problems(Map.of(property, value)));
    }

    @Test
    void theBoundsThemselvesAreAllowed() {
        Map<String, String> atBounds = new HashMap<>();
        atBounds.put("agent.genesys.rate-limit-per-minute", "100000");
        atBounds.put("agent.submission.bucket", "PT1S");
        atBounds.put("agent.submission.grace", "PT0S");
        atBounds.put("agent.submission.concurrency", "64");
        atBounds.put("agent.submission.batch-size", "1");
        atBounds.put("agent.ingest.queue-capacity", "1000");
        atBounds.put("agent.reconciliation.max-detail-calls", "0");
        atBounds.put("agent.outbox.retention", "PT1H");
        atBounds.put("agent.notifications.timeout", "PT0.1S");
        assertEquals(List.of(), ConfigRules.problems(build(atBounds).getConfigMapping(AgentConfig.class)));
    }

    @Test
    void everyBrokenRuleIsNamedAtOnceWithTheAppItBelongsTo() {
        Map<String, String> properties = new HashMap<>();
        properties.put("agent.apps.\"premium-minutes\".mode", "sum");
        properties.put("agent.apps.\"premium-minutes\".usage-thresholds", "100,-5,0");
        properties.put("agent.submission.bucket", "PT0S");
        List<String> problems = problems(properties);
        assertEquals(3, problems.size(), problems.toString());
        assertTrue(problems.contains("agent.apps.\"premium-minutes\".usage-thresholds must hold only quantities above"
                + " zero, not -5"), problems.toString());
        assertTrue(problems.contains("agent.apps.\"premium-minutes\".usage-thresholds must hold only quantities above"
                + " zero, not 0"), problems.toString());
        assertTrue(problems.contains("agent.submission.bucket must be at least PT1S, not PT0S"), problems.toString());
    }
}
