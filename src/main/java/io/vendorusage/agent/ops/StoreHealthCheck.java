package io.vendorusage.agent.ops;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.vendorusage.agent.http.StoreFailures;
import io.vendorusage.agent.outbox.OutboxService;
import io.vendorusage.agent.outbox.OutboxWriter;

/**
 * Ready only while the outbox table answers a cheap query and, after an ingest commit failed, while the
 * store takes a real write again (a full disk or a read-only volume still answers reads); says why when
 * it is not.
 */
@Readiness
@ApplicationScoped
public class StoreHealthCheck implements HealthCheck {

    private final OutboxService outbox;
    private final OutboxWriter writer;
    private final Clock clock;

    public StoreHealthCheck(OutboxService outbox, OutboxWriter writer, Clock clock) {
        this.outbox = outbox;
        this.writer = writer;
        this.clock = clock;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            outbox.probe();
            if (writer.lastFailure().isPresent()) {
                outbox.probeWrite(clock.instant());
                writer.storeWritable();
            }
            return HealthCheckResponse.named("store").up().build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("store").down().withData("reason", StoreFailures.describe(e)).build();
        }
    }
}
