package io.vendorusage.agent.reconciliation;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.vendorusage.agent.notify.NotificationType;
import io.vendorusage.agent.notify.Notifications;

/** Runs, report rows and learnt billing periods in the store. */
@ApplicationScoped
public class ReconciliationStore {

    private final EntityManager em;
    private final Notifications notifications;

    public ReconciliationStore(EntityManager em, Notifications notifications) {
        this.em = em;
        this.notifications = notifications;
    }

    /**
     * Stores a finished run with its rows, and drops the rows of runs beyond the kept history. A drift row is
     * notified in the same transaction, once per figures: the same drift found again by later runs is not told
     * again; a changed figure is.
     */
    @Transactional
    public void saveRun(ReconciliationRun run, List<ReconciliationRow> rows, int historyReports) {
        em.persist(run);
        for (int i = 0; i < rows.size(); i++) {
            ReconciliationRow row = rows.get(i);
            em.persist(row);
            if (row.status == RowStatus.DRIFT) {
                notifications.publishOnce(NotificationType.RECONCILIATION_DRIFT, row.organizationId,
                        "drift:" + row.organizationId + ":" + row.appId + ":" + row.periodStart + ":"
                                + plain(row.upstreamQuantity) + ":" + plain(row.confirmedQuantity),
                        ReconciliationReport.RowView.of(row));
            }
            if (i % 500 == 499) {
                em.flush();
                em.clear();
            }
        }
        List<String> old = em.createQuery("select r.id from ReconciliationRun r where r.outcome <> :skipped"
                + " order by r.startedAt desc", String.class).setParameter("skipped", RunOutcome.SKIPPED)
                .setFirstResult(historyReports).setMaxResults(1000).getResultList();
        if (!old.isEmpty()) {
            em.createQuery("delete from ReconciliationRow r where r.runId in :ids").setParameter("ids", old)
                    .executeUpdate();
        }
    }

    private static String plain(java.math.BigDecimal q) {
        return q == null ? "none" : q.stripTrailingZeros().toPlainString();
    }

    /** @return the latest run that reconciled (skipped turns left out) */
    @Transactional
    public Optional<ReconciliationRun> latestRun() {
        return em.createQuery("from ReconciliationRun r where r.outcome <> :skipped order by r.startedAt desc",
                ReconciliationRun.class).setParameter("skipped", RunOutcome.SKIPPED)
                .setMaxResults(1).getResultStream().findFirst();
    }

    @Transactional
    public List<ReconciliationRun> runs(int limit) {
        return em.createQuery("from ReconciliationRun r order by r.startedAt desc", ReconciliationRun.class)
                .setMaxResults(limit).getResultList();
    }

    /** Rows of a run, filtered by whichever of org, app and status are given. */
    @Transactional
    public List<ReconciliationRow> rows(String runId, String organizationId, String appId, RowStatus status,
            int limit) {
        StringBuilder q = new StringBuilder("from ReconciliationRow r where r.runId = :run");
        if (organizationId != null) {
            q.append(" and r.organizationId = :org");
        }
        if (appId != null) {
            q.append(" and r.appId = :app");
        }
        if (status != null) {
            q.append(" and r.status = :status");
        }
        q.append(" order by r.organizationId, r.appId");
        var query = em.createQuery(q.toString(), ReconciliationRow.class).setParameter("run", runId)
                .setMaxResults(limit);
        if (organizationId != null) {
            query.setParameter("org", organizationId);
        }
        if (appId != null) {
            query.setParameter("app", appId);
        }
        if (status != null) {
            query.setParameter("status", status);
        }
        return query.getResultList();
    }

    /** @return the lines of a run by status (wire names), in status order */
    @Transactional
    public java.util.Map<String, Long> countsByStatus(String runId) {
        java.util.Map<String, Long> counts = new java.util.TreeMap<>();
        em.createQuery("select r.status as status, count(r) as n from ReconciliationRow r where r.runId = :run"
                + " group by r.status", jakarta.persistence.Tuple.class).setParameter("run", runId).getResultList()
                .forEach(c -> counts.put(c.get("status", RowStatus.class).wire(), c.get("n", Number.class).longValue()));
        return counts;
    }

    @Transactional
    public List<Settlement> settlementsOf(String submissionId) {
        return em.createQuery("from Settlement s where s.submissionId = :id order by s.decidedAt", Settlement.class)
                .setParameter("id", submissionId).getResultList();
    }
}
