package io.vendorusage.agent.testsupport;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** WireMock as the upstream, with timings short enough for tests. */
public class UpstreamProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("quarkus.rest-client.genesys.read-timeout", "500"),
                Map.entry("quarkus.rest-client.genesys.connect-timeout", "500"),
                Map.entry("agent.genesys.rate-limit-per-minute", "600"),
                Map.entry("agent.submission.concurrency", "2"),
                Map.entry("agent.submission.retry-base", "PT0.02S"),
                Map.entry("agent.submission.retry-max-delay", "PT0.1S"),
                Map.entry("agent.submission.max-attempts", "4"),
                Map.entry("agent.submission.interval", "PT5S"),
                Map.entry("agent.submission.period-retry", "PT5S"),
                Map.entry("agent.genesys.credentials-retry", "PT2S"),
                Map.entry("agent.reconciliation.regions", "us-east-1,eu-west-1"),
                Map.entry("agent.reconciliation.upstream-lag", "PT2S"));
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(GenesysWireMock.class), new TestResourceEntry(NotificationReceiver.class));
    }
}
