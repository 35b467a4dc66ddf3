package io.vendorusage.agent.submission;

import io.vendorusage.agent.config.AppMode;
import io.vendorusage.agent.upstream.UsageRecord;

/** A record this agent holds the sending lease of. */
public record Claimed(UsageRecord record, AppMode mode, int attempt) {
}
