package io.vendorusage.agent;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.restassured.http.ContentType;
import io.vendorusage.agent.testsupport.AgentProcess;
import io.vendorusage.agent.testsupport.FakeGenesys;
import io.vendorusage.agent.testsupport.TestEvents;

/**
 * Three agent processes share one PostgreSQL outbox, ingesting and submitting at once; one is killed
 * mid-run. The fake upstream bills every POST it gets, so a record sent twice would show as
 * over-billing: the totals must equal the accepted events exactly, and no record may stay behind (what
 * the killed agent had in flight is settled by reconciliation).
 * Runs on the PostgreSQL pass only (the embedded H2 store is single-process).
 */
class SharedOutboxIT {

    @Test
    void threeAgentsOnOneOutboxNeverSendARecordTwice(@TempDir Path work) throws Exception {
        Assumptions.assumeTrue("postgresql".equals(System.getProperty("quarkus.datasource.db-kind")),
                "needs the PostgreSQL build (./mvnw verify -Ppostgresql)");
        List<String> orgs = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString());
        try (FakeGenesys upstream = new FakeGenesys(Set.of(TestEvents.PEAK_APP))) {
            List<AgentProcess> agents = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    AgentProcess agent = new AgentProcess(work.resolve("agent-" + i), config(upstream));
                    java.nio.file.Files.createDirectories(work.resolve("agent-" + i));
                    agent.start();
                    agents.add(agent);
                }
                List<String[]> accepted = new CopyOnWriteArrayList<>();
                AtomicBoolean stop = new AtomicBoolean();
                Thread client = new Thread(() -> produce(agents, orgs, accepted, stop), "shared-client");
                client.start();
                Thread.sleep(4000);
                agents.get(1).killHard(); // one agent dies mid-run and stays down for a while
                Thread.sleep(4000);
                agents.get(1).start();
                Thread.sleep(3000);
                stop.set(true);
                client.join(30_000);

                Map<String, Map<String, BigDecimal>> expected = new TreeMap<>();
                for (String[] a : accepted) {
                    expected.computeIfAbsent(a[0], k -> new TreeMap<>()).merge(a[1], new BigDecimal(a[2]),
                            TestEvents.PEAK_APP.equals(a[1]) ? BigDecimal::max : BigDecimal::add);
                }
                Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
                while (Instant.now().isBefore(deadline) && !matches(expected, upstream, orgs)) {
                    Thread.sleep(500);
                }
                Thread.sleep(3000); // anything sent twice would arrive by now
                for (String org : orgs) {
                    assertEquals(strip(expected.getOrDefault(org, Map.of())), strip(upstream.totals().getOrDefault(org,
                            Map.of())), "org " + org);
                }
                assertTrue(accepted.size() > 50, "the load ran: " + accepted.size());
                System.out.printf("shared outbox: 3 agents (one killed), %d events, %d POSTs%n", accepted.size(),
                        upstream.billed().size());
            } finally {
                for (AgentProcess a : agents) {
                    a.close();
                }
            }
        }
    }

    private static Map<String, String> config(FakeGenesys upstream) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("agent.ingest.token", TestEvents.INGEST_TOKEN);
        config.put("agent.apps.\"" + TestEvents.SUM_APP + "\".mode", "sum");
        config.put("agent.apps.\"" + TestEvents.PEAK_APP + "\".mode", "high-water-mark");
        config.put("agent.genesys.api-url", upstream.baseUrl());
        config.put("agent.genesys.login-url", upstream.baseUrl());
        config.put("agent.genesys.client-id", "shared");
        config.put("agent.genesys.client-secret", "shared-secret");
        config.put("agent.genesys.rate-limit-per-minute", "6000");
        config.put("agent.submission.bucket", "PT1S");
        config.put("agent.submission.grace", "PT0S");
        config.put("agent.submission.interval", "PT0.2S");
        config.put("agent.submission.lease", "PT2S");
        // a record in flight on the killed agent becomes uncertain; reconciliation settles it
        config.put("agent.reconciliation.interval", "PT1S");
        config.put("agent.reconciliation.regions", "us-east-1");
        config.put("agent.reconciliation.upstream-lag", "PT1S");
        return config;
    }

    private static void produce(List<AgentProcess> agents, List<String> orgs, List<String[]> accepted,
            AtomicBoolean stop) {
        Random random = new Random(5);
        int n = 0;
        while (!stop.get()) {
            AgentProcess agent = agents.get(random.nextInt(agents.size()));
            List<Map<String, Object>> batch = new ArrayList<>();
            List<String[]> sent = new ArrayList<>();
            for (int i = 1 + random.nextInt(10); i > 0; i--) {
                String org = orgs.get(random.nextInt(orgs.size()));
                String app = random.nextInt(3) == 0 ? TestEvents.PEAK_APP : TestEvents.SUM_APP;
                String q = BigDecimal.valueOf(random.nextInt(1_000_000), 2).toPlainString();
                batch.add(Map.of("eventId", "shared-" + (n++) + "-" + UUID.randomUUID(), "organizationId", org,
                        "appId", app, "quantity", new BigDecimal(q)));
                sent.add(new String[] { org, app, q });
            }
            for (int attempt = 0; attempt < 50; attempt++) {
                try {
                    int status = given().baseUri(agent.baseUrl()).contentType(ContentType.JSON)
                            .header("Authorization", "Bearer " + TestEvents.INGEST_TOKEN).body(batch)
                            .post("/v1/usage-events").statusCode();
                    if (status == 202) {
                        accepted.addAll(sent);
                        break;
                    }
                } catch (Exception down) {
                    agent = agents.get(random.nextInt(agents.size())); // that agent is down: use another
                }
            }
        }
    }

    private static boolean matches(Map<String, Map<String, BigDecimal>> expected, FakeGenesys upstream,
            List<String> orgs) {
        for (String org : orgs) {
            if (!strip(expected.getOrDefault(org, Map.of())).equals(strip(upstream.totals().getOrDefault(org, Map.of())))) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, BigDecimal> strip(Map<String, BigDecimal> m) {
        Map<String, BigDecimal> s = new TreeMap<>();
        m.forEach((k, v) -> s.put(k, v.stripTrailingZeros()));
        return s;
    }
}
