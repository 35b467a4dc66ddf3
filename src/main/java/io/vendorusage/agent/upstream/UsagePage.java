package io.vendorusage.agent.upstream;

import java.util.List;
import java.util.Optional;

/** One page of the per-region usage listing; {@code nextAfter} is the cursor of the next page, if any. */
public record UsagePage(List<OrganizationUsage> organizations, Optional<String> nextAfter) {
}
