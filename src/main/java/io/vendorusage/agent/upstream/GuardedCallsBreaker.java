package io.vendorusage.agent.upstream;

/** Name of the circuit breaker around the usage POST, for status, metrics and tests. */
public final class GuardedCallsBreaker {

    public static final String NAME = "genesys-usage";

    private GuardedCallsBreaker() {
    }
}
