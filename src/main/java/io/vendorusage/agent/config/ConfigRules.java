package io.vendorusage.agent.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.ConfigValidator;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.SmallRyeConfigBuilderCustomizer;

/**
 * The rules each single {@code agent.*} value must keep, checked while the configuration is built, before the
 * store or anything else starts: a value that breaks one stops start-up with a line naming the property, the
 * rule and the value given. (Rules joining several settings are in {@link SettingsCheck}.)
 * <p>
 * Written as code rather than Bean Validation constraints on {@link AgentConfig}: one constraint on a config
 * mapping makes Quarkus build a validator over every configuration class of every extension during static
 * initialisation, which cost the agent about half a second of each start. Registered as a configuration
 * customizer ({@code META-INF/services/io.smallrye.config.SmallRyeConfigBuilderCustomizer}).
 */
public final class ConfigRules implements ConfigValidator, SmallRyeConfigBuilderCustomizer {

    private static final Pattern REGION = Pattern.compile(AgentConfig.REGION_PATTERN);

    @Override
    public void configBuilder(SmallRyeConfigBuilder builder) {
        builder.withValidator(this);
    }

    @Override
    public void validateMapping(Class<?> mappingClass, String prefix, Object mapping) {
        if (mapping instanceof AgentConfig config) {
            List<String> problems = problems(config);
            if (!problems.isEmpty()) {
                throw new ConfigValidationException(problems.stream()
                        .map(ConfigValidationException.Problem::new)
                        .toArray(ConfigValidationException.Problem[]::new));
            }
        }
    }

    /** @return one line per broken rule, each starting with the property's name; empty when all hold */
    static List<String> problems(AgentConfig config) {
        Check check = new Check();
        check.notBlank("agent.data-dir", config.dataDir());

        AgentConfig.Genesys genesys = config.genesys();
        check.region("agent.genesys.region", genesys.region());
        check.between("agent.genesys.rate-limit-per-minute", genesys.rateLimitPerMinute(), 1, 100_000);
        check.atLeast("agent.genesys.credentials-retry", genesys.credentialsRetry(), Duration.ofSeconds(1));

        for (Map.Entry<String, AgentConfig.App> app : config.apps().entrySet()) {
            String name = "agent.apps.\"" + app.getKey() + "\".usage-thresholds";
            for (BigDecimal threshold : app.getValue().usageThresholds().orElse(List.of())) {
                if (threshold.signum() <= 0) {
                    check.problem(name, "must hold only quantities above zero", threshold);
                }
            }
        }

        AgentConfig.Submission submission = config.submission();
        check.atLeast("agent.submission.bucket", submission.bucket(), Duration.ofSeconds(1));
        check.atLeast("agent.submission.grace", submission.grace(), Duration.ZERO);
        check.atLeast("agent.submission.quiet", submission.quiet(), Duration.ZERO);
        submission.maxHold().ifPresent(hold -> check.atLeast("agent.submission.max-hold", hold, Duration.ZERO));
        check.atLeast("agent.submission.interval", submission.interval(), Duration.ofMillis(100));
        check.between("agent.submission.concurrency", submission.concurrency(), 1, 64);
        check.between("agent.submission.batch-size", submission.batchSize(), 1, 10_000);
        check.between("agent.submission.max-attempts", submission.maxAttempts(), 1, Integer.MAX_VALUE);
        check.atLeast("agent.submission.retry-base", submission.retryBase(), Duration.ofMillis(1));
        check.atLeast("agent.submission.retry-max-delay", submission.retryMaxDelay(), Duration.ofMillis(1));
        check.atLeast("agent.submission.lease", submission.lease(), Duration.ofSeconds(1));
        check.atLeast("agent.submission.closed-period-grace", submission.closedPeriodGrace(), Duration.ZERO);
        check.atLeast("agent.submission.billing-delay-objective", submission.billingDelayObjective(),
                Duration.ofSeconds(1));
        check.atLeast("agent.submission.period-retry", submission.periodRetry(), Duration.ofSeconds(1));

        AgentConfig.Ingest ingest = config.ingest();
        check.atLeast("agent.ingest.max-lateness", ingest.maxLateness(), Duration.ofSeconds(1));
        check.between("agent.ingest.queue-capacity", ingest.queueCapacity(), 1000, Integer.MAX_VALUE);
        check.between("agent.ingest.group-max-events", ingest.groupMaxEvents(), 1, Integer.MAX_VALUE);

        AgentConfig.Reconciliation reconciliation = config.reconciliation();
        check.between("agent.reconciliation.max-detail-calls", reconciliation.maxDetailCalls(), 0, Integer.MAX_VALUE);
        check.between("agent.reconciliation.history-reports", reconciliation.historyReports(), 1, Integer.MAX_VALUE);
        check.atLeast("agent.reconciliation.interval", reconciliation.interval(), Duration.ofSeconds(1));
        check.atLeast("agent.reconciliation.initial-delay", reconciliation.initialDelay(), Duration.ZERO);
        reconciliation.regions().ifPresent(regions -> regions.forEach(
                region -> check.region("agent.reconciliation.regions", region)));
        check.atLeast("agent.reconciliation.upstream-lag", reconciliation.upstreamLag(), Duration.ZERO);

        AgentConfig.Notifications notifications = config.notifications();
        check.atLeast("agent.notifications.max-age", notifications.maxAge(), Duration.ofSeconds(1));
        check.atLeast("agent.notifications.timeout", notifications.timeout(), Duration.ofMillis(100));
        check.atLeast("agent.notifications.retry-base", notifications.retryBase(), Duration.ofMillis(10));
        check.atLeast("agent.notifications.retry-max-delay", notifications.retryMaxDelay(), Duration.ofMillis(10));
        check.atLeast("agent.notifications.interval", notifications.interval(), Duration.ofSeconds(1));
        check.atLeast("agent.notifications.retention", notifications.retention(), Duration.ofHours(1));

        check.atLeast("agent.health.stuck-after", config.health().stuckAfter(), Duration.ofSeconds(1));

        AgentConfig.Outbox outbox = config.outbox();
        check.atLeast("agent.outbox.retention", outbox.retention(), Duration.ofHours(1));
        check.atLeast("agent.outbox.purge-interval", outbox.purgeInterval(), Duration.ofSeconds(1));
        check.atLeast("agent.outbox.stats-interval", outbox.statsInterval(), Duration.ofMillis(100));
        return check.problems;
    }

    /** Collects the broken rules, each as "name rule, not value". */
    private static final class Check {
        final List<String> problems = new ArrayList<>();

        void problem(String name, String rule, Object value) {
            problems.add(name + " " + rule + ", not " + value);
        }

        void atLeast(String name, Duration value, Duration least) {
            if (value.compareTo(least) < 0) {
                problem(name, "must be at least " + least, value);
            }
        }

        void between(String name, int value, int least, int most) {
            if (value < least) {
                problem(name, "must be at least " + least, value);
            } else if (value > most) {
                problem(name, "must be at most " + most, value);
            }
        }

        void notBlank(String name, String value) {
            if (value.isBlank()) {
                problem(name, "must not be blank", "\"" + value + "\"");
            }
        }

        void region(String name, String value) {
            if (!REGION.matcher(value).matches()) {
                problem(name, "must be a region name such as us-east-1", value);
            }
        }
    }
}
