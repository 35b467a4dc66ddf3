package io.vendorusage.agent.reconciliation;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.vendorusage.agent.upstream.GenesysClient;
import io.vendorusage.agent.upstream.OrganizationDetail;
import io.vendorusage.agent.upstream.OrganizationUsage;
import io.vendorusage.agent.upstream.UsagePage;

/**
 * Reads the upstream's side for a run: every page of each region's usage listing, and single orgs' details.
 * A region or page that cannot be read does not stop the run: it is noted as missing in the run's tally.
 */
@ApplicationScoped
class UpstreamReader {

    private static final Logger LOG = Logger.getLogger(UpstreamReader.class);
    /** The largest page the listing serves. */
    static final int PAGE_SIZE = 200;

    private final GenesysClient client;

    UpstreamReader(GenesysClient client) {
        this.client = client;
    }

    /** @return every org listed in the regions, by org id ({@code appIds}: comma-separated, or null for all) */
    UpstreamSnapshot listing(List<String> regions, String appIds, RunTally tally) {
        Map<String, OrganizationUsage> orgs = new HashMap<>();
        int read = 0;
        for (String region : regions) {
            if (readRegion(region, appIds, orgs, tally)) {
                read++;
            }
        }
        return new UpstreamSnapshot(orgs, regions.size(), read);
    }

    /** @return the org's detail (its billing period and per-app usage); throws when it cannot be read */
    OrganizationDetail detail(String organizationId, RunTally tally) {
        tally.called();
        return client.organizationDetail(organizationId, null);
    }

    /** Reads every page of one region; returns whether the region was read completely. */
    private boolean readRegion(String region, String appIds, Map<String, OrganizationUsage> orgs, RunTally tally) {
        String after = null;
        int page = 1;
        try {
            while (true) {
                tally.called();
                UsagePage p = client.organizationsPage(region, appIds, PAGE_SIZE, after);
                p.organizations().forEach(o -> orgs.put(o.organizationId(), o));
                if (p.nextAfter().isEmpty()) {
                    return true;
                }
                after = p.nextAfter().get();
                page++;
            }
        } catch (RuntimeException e) {
            tally.missing("region " + region + " from page " + page + ": " + e.getMessage());
            LOG.warnf("Reconciliation could not read region %s from page %d: %s", region, page, e.getMessage());
            return false;
        }
    }
}
