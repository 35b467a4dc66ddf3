package io.vendorusage.agent.store;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Whether the store took the last ingest write. A full disk or a read-only volume still answers reads, so the
 * ingest writer reports each commit's outcome here and readiness proves the store writable again with a real
 * write before it says ready ({@link StoreHealthCheck}).
 */
@ApplicationScoped
public class StoreWrites {

    private volatile Throwable lastFailure;

    /** A commit failed: nothing of it was stored. */
    public void failed(Throwable failure) {
        lastFailure = failure;
    }

    /** A commit succeeded (or a probe write did): the store takes writes. */
    public void succeeded() {
        lastFailure = null;
    }

    /** @return the failure of the last write, while no write has succeeded since */
    public Optional<Throwable> lastFailure() {
        return Optional.ofNullable(lastFailure);
    }
}
