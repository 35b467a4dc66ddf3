package io.vendorusage.agent.ops;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.vendorusage.agent.http.StoreFailures;
import io.vendorusage.agent.outbox.OutboxService;

/** Ready only while the outbox table answers a cheap query; says why when it does not. */
@Readiness
@ApplicationScoped
public class StoreHealthCheck implements HealthCheck {

    private final OutboxService outbox;

    public StoreHealthCheck(OutboxService outbox) {
        this.outbox = outbox;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            outbox.probe();
            return HealthCheckResponse.named("store").up().build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("store").down().withData("reason", StoreFailures.describe(e)).build();
        }
    }
}
