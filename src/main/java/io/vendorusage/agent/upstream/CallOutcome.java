package io.vendorusage.agent.upstream;

/**
 * How an upstream call that did not succeed ended, as the ledger records it ({@code lastOutcome}) and the logs
 * show it; {@link #wire()} is that name.
 */
public enum CallOutcome {
    /** 503 or 429-free unavailability: not processed. */
    UNAVAILABLE("unavailable"),
    /** 408 {@code client.timeout}: may have been processed. */
    CLIENT_TIMEOUT("client-timeout"),
    /** A 5xx after the request was sent: may have been processed. */
    SERVER_ERROR("server-error"),
    /** A status the classifier does not know: may have been processed. */
    UNEXPECTED_STATUS("unexpected-status"),
    /** Refused at connect: not processed. */
    UNREACHABLE("unreachable"),
    /** The request was written and no answer came: may have been processed. */
    NO_ANSWER("no-answer"),
    /** No client credentials: nothing was sent. */
    NOT_CONFIGURED("not-configured"),
    /** A 2xx whose body was not JSON: processed or not, the agent cannot tell. */
    UNREADABLE("unreadable"),
    /** The token call failed with a 5xx or no answer: nothing was sent. */
    TOKEN_UNAVAILABLE("token-unavailable", true),
    /** The token call was refused (not for the credentials themselves): nothing was sent. */
    TOKEN_REFUSED("token-refused", true),
    /** The login service rejected the client credentials: nothing was sent. */
    TOKEN_CREDENTIALS_REJECTED("token-credentials-rejected", true),
    /** The circuit breaker is open: nothing was sent. */
    CIRCUIT_OPEN("circuit-open"),
    /** The call's time ran out after it was sent: may have been processed. */
    TIMEOUT("timeout"),
    /** The sender stopped (a crash, an expired lease) while the POST was in flight. */
    INTERRUPTED("interrupted"),
    /** The agent failed around the call: may have been processed. */
    AGENT_ERROR("agent-error"),
    /** 401: the token was refused; nothing was processed. */
    UNAUTHORIZED("unauthorized"),
    /** 429, Retry-After or the agent's own limiter: not processed. */
    RATE_LIMITED("rate-limited"),
    /** Refused for good (400, 403, 404, 409, 413, 422, ...). */
    REJECTED("rejected");

    private final String wire;
    private final boolean tokenCall;

    CallOutcome(String wire) {
        this(wire, false);
    }

    CallOutcome(String wire, boolean tokenCall) {
        this.wire = wire;
        this.tokenCall = tokenCall;
    }

    public String wire() {
        return wire;
    }

    /** @return whether the call stopped at the token step (the usage endpoint was never asked) */
    public boolean atTokenCall() {
        return tokenCall;
    }

    @Override
    public String toString() {
        return wire;
    }
}
