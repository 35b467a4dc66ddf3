package io.vendorusage.agent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vendorusage.agent.testsupport.AgentProcess;
import io.vendorusage.agent.testsupport.FakeGenesys;
import io.vendorusage.agent.testsupport.TestEvents;
import io.vendorusage.agent.testsupport.UsageLoad;

/**
 * Three agent processes share one PostgreSQL outbox, ingesting and submitting at once; one is killed
 * mid-run. The fake upstream bills every POST it gets, so a record sent twice would show as
 * over-billing: the totals must equal the accepted events exactly, and no record may stay behind (what
 * the killed agent had in flight is settled by reconciliation).
 * Runs on the PostgreSQL pass only (the embedded H2 store is single-process).
 */
class SharedOutboxIT {

    private static final String ADMIN = "shared-admin";

    @Test
    void threeAgentsOnOneOutboxNeverSendARecordTwice(@TempDir Path work) throws Exception {
        Assumptions.assumeTrue("postgresql".equals(System.getProperty("quarkus.datasource.db-kind")),
                "needs the PostgreSQL build (./mvnw verify -Ppostgresql)");
        try (FakeGenesys upstream = new FakeGenesys(Set.of(TestEvents.PEAK_APP))) {
            Map<String, String> config = upstream.agentSettings(ADMIN);
            config.put("agent.genesys.rate-limit-per-minute", "6000");
            config.put("agent.submission.bucket", "PT1S");
            config.put("agent.submission.interval", "PT0.2S");
            List<AgentProcess> agents = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    Files.createDirectories(work.resolve("agent-" + i));
                    AgentProcess agent = new AgentProcess(work.resolve("agent-" + i), config);
                    agent.start();
                    agents.add(agent);
                }
                Random pick = new Random(5);
                try (UsageLoad load = new UsageLoad(2, 10, 5)) {
                    // each batch goes to any agent; one that is down makes the client try another
                    load.start(() -> agents.get(pick.nextInt(agents.size())));
                    Thread.sleep(4000);
                    agents.get(1).killHard(); // one agent dies mid-run and stays down for a while
                    Thread.sleep(4000);
                    agents.get(1).start();
                    Thread.sleep(3000);
                    load.stop();

                    Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
                    while (Instant.now().isBefore(deadline) && !load.billedExactly(upstream)) {
                        Thread.sleep(500);
                    }
                    Thread.sleep(3000); // anything sent twice would arrive by now
                    load.assertBilledExactly(upstream, agents.get(0), ADMIN);
                    assertTrue(load.accepted().size() > 50, "the load ran: " + load.accepted().size());
                    System.out.printf("shared outbox: 3 agents (one killed), %d events, %d POSTs%n",
                            load.accepted().size(), upstream.billed().size());
                }
            } finally {
                for (AgentProcess a : agents) {
                    a.close();
                }
            }
        }
    }
}
