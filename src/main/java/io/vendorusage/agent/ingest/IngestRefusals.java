package io.vendorusage.agent.ingest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.vendorusage.agent.http.Problem;
import io.vendorusage.agent.http.Problems;

/**
 * Counts every refused ingest request by its problem type ({@code vendorusage_ingest_rejected_total{reason}}),
 * whoever refused it: the token check, the parser, the outbox or the store. It looks at the answer, so a new
 * kind of refusal is counted without being listed here.
 */
public class IngestRefusals {

    private final IngestMetrics metrics;

    public IngestRefusals(IngestMetrics metrics) {
        this.metrics = metrics;
    }

    @ServerResponseFilter
    public void count(ContainerRequestContext request, ContainerResponseContext response, ResourceInfo resource) {
        if (response.getStatus() >= 400 && "POST".equals(request.getMethod())
                && resource != null && resource.getResourceClass() == UsageEventResource.class
                && response.getEntity() instanceof Problem problem && problem.type().startsWith(Problems.TYPE_BASE)) {
            metrics.rejected(problem.type().substring(Problems.TYPE_BASE.length()));
        }
    }
}
