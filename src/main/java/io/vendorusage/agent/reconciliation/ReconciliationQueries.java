package io.vendorusage.agent.reconciliation;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

/** Reads reports for the operator API and the status page. */
@ApplicationScoped
public class ReconciliationQueries {

    private final ReconciliationStore store;

    public ReconciliationQueries(ReconciliationStore store) {
        this.store = store;
    }

    /** @return the latest run with its rows, filtered; empty when reconciliation never ran */
    public Optional<ReconciliationReport> latest(String organizationId, String appId, RowStatus status, int limit) {
        return store.latestRun().map(run -> new ReconciliationReport(
                ReconciliationReport.RunView.of(run, store.countsByStatus(run.id)),
                store.rows(run.id, organizationId, appId, status, limit).stream()
                        .map(ReconciliationReport.RowView::of).toList()));
    }

    /** @return the latest run's summary, for /v1/status */
    public Optional<ReconciliationReport.RunView> latestSummary() {
        return store.latestRun().map(run -> ReconciliationReport.RunView.of(run, store.countsByStatus(run.id)));
    }

    /** @return recent runs, newest first */
    public List<ReconciliationReport.RunView> history(int limit) {
        return store.runs(limit).stream().map(r -> ReconciliationReport.RunView.of(r, java.util.Map.of())).toList();
    }

    public ReconciliationReport.RunView summaryOf(ReconciliationRun run) {
        return ReconciliationReport.RunView.of(run, store.countsByStatus(run.id));
    }
}
