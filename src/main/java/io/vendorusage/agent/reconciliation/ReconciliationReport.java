package io.vendorusage.agent.reconciliation;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A run and (for the report) its rows, as the operator API shows them. */
public record ReconciliationReport(RunView run, List<RowView> rows) {

    /** A run's summary. */
    public record RunView(String id, Instant startedAt, Instant finishedAt, String outcome, int regionsQueried,
            int organizationsSeen, int upstreamCalls, int rowCount, Map<String, Long> rowsByStatus, String missing) {

        static RunView of(ReconciliationRun r, Map<String, Long> byStatus) {
            return new RunView(r.id, r.startedAt, r.finishedAt, r.outcome.wire(), r.regionsQueried,
                    r.organizationsSeen, r.upstreamCalls, r.rowCount, byStatus, r.missing);
        }
    }

    /** One report line. */
    public record RowView(String organizationId, String appId, String region, Instant periodStart, Instant periodEnd,
            String periodSource, String mode, BigDecimal upstreamQuantity, BigDecimal confirmedQuantity,
            BigDecimal recentQuantity, BigDecimal uncertainQuantity, BigDecimal pendingQuantity, String status,
            String note) {

        static RowView of(ReconciliationRow r) {
            return new RowView(r.organizationId, r.appId, r.region, r.periodStart, r.periodEnd, r.periodSource, r.mode,
                    strip(r.upstreamQuantity), strip(r.confirmedQuantity), strip(r.recentQuantity),
                    strip(r.uncertainQuantity), strip(r.pendingQuantity), r.status.wire(), r.note);
        }

        private static BigDecimal strip(BigDecimal q) {
            return q == null ? null : q.stripTrailingZeros();
        }
    }
}
