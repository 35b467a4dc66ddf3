package io.vendorusage.agent.upstream;

/** The upstream's answer to an accepted usage POST. */
public record UsageReceipt(int httpStatus, String upstreamId, String confirmation, String correlationId) {
}
