package io.vendorusage.agent.reconciliation;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;

import io.vendorusage.agent.config.AppMode;
import io.vendorusage.agent.config.AppModes;
import io.vendorusage.agent.outbox.OutboxWindows;
import io.vendorusage.agent.submission.SubmissionState;

/** Computes the agent's figures per (org, app) over a billing period, in the database. */
@ApplicationScoped
public class FiguresQuery {

    /** Identifies a report line. */
    public record Key(String organizationId, String appId) {
    }

    private final EntityManager em;
    private final OutboxWindows windows;
    private final AppModes modes;

    public FiguresQuery(EntityManager em, OutboxWindows windows, AppModes modes) {
        this.em = em;
        this.windows = windows;
        this.modes = modes;
    }

    /**
     * @param organizationId only this org, or every org when empty
     * @param lagCutoff confirmations before this instant should show upstream by now
     */
    @Transactional
    public Map<Key, Figures> figures(Instant start, Instant end, Instant lagCutoff, Optional<String> organizationId) {
        String orgFilter = organizationId.isPresent() ? " and s.organizationId = :org" : "";
        TypedQuery<Tuple> records = em.createQuery("select s.organizationId as org, s.appId as app, s.mode as mode,"
                + " s.state as state, sum(s.quantity) as total, max(s.quantity) as peak,"
                + " sum(case when s.confirmedAt < :cutoff then s.quantity else 0 end) as oldTotal,"
                + " max(case when s.confirmedAt < :cutoff then s.quantity else 0 end) as oldPeak,"
                // for uncertain records: when the last of them became uncertain, i.e. when its POST ended
                // (answer, timeout or expired lease), which is when the upstream lag starts to run
                + " max(s.updatedAt) as since, count(s) as n"
                + " from Submission s where s.bucketStart >= :start and s.bucketStart < :end and s.state <> :failed"
                + orgFilter + " group by s.organizationId, s.appId, s.mode, s.state", Tuple.class)
                .setParameter("start", start).setParameter("end", end).setParameter("cutoff", lagCutoff)
                .setParameter("failed", SubmissionState.FAILED);
        organizationId.ifPresent(o -> records.setParameter("org", o));
        Map<Key, Figures> figures = new HashMap<>();
        for (Tuple r : records.getResultList()) {
            AppMode mode = r.get("mode", AppMode.class);
            SubmissionState state = r.get("state", SubmissionState.class);
            boolean sum = mode == AppMode.SUM;
            BigDecimal total = r.get(sum ? "total" : "peak", BigDecimal.class);
            BigDecimal old = r.get(sum ? "oldTotal" : "oldPeak", BigDecimal.class);
            Figures f = switch (state) {
                case CONFIRMED -> new Figures(mode, total, old, BigDecimal.ZERO, null, BigDecimal.ZERO, 0);
                case UNCERTAIN -> new Figures(mode, BigDecimal.ZERO, BigDecimal.ZERO, total, r.get("since", Instant.class),
                        BigDecimal.ZERO, 0);
                case SENDING -> new Figures(mode, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, null, total,
                        r.get("n", Number.class).longValue());
                default -> new Figures(mode, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, null, total, 0);
            };
            figures.merge(new Key(r.get("org", String.class), r.get("app", String.class)), f, Figures::combine);
        }
        windows.unplannedFigures(start, end, organizationId.orElse(null)).forEach((k, u) -> {
            AppMode mode = modes.of(k.appId());
            figures.merge(new Key(k.organizationId(), k.appId()), new Figures(mode, BigDecimal.ZERO, BigDecimal.ZERO,
                    BigDecimal.ZERO, null, mode == AppMode.SUM ? u.sum() : u.max(), 0), Figures::combine);
        });
        return figures;
    }

    /** An uncertain record: its id, the quantity it carried and when it became uncertain. */
    public record Uncertain(String id, BigDecimal quantity, Instant since) {
    }

    /** @return the uncertain records of one (org, app) in a period */
    @Transactional
    public List<Uncertain> uncertain(Key key, Instant start, Instant end) {
        return em.createQuery("select new io.vendorusage.agent.reconciliation.FiguresQuery$Uncertain("
                + "s.id, s.quantity, s.updatedAt)"
                + " from Submission s where s.organizationId = :org and s.appId = :app"
                + " and s.state = :state and s.bucketStart >= :start and s.bucketStart < :end order by s.id",
                Uncertain.class)
                .setParameter("org", key.organizationId()).setParameter("app", key.appId())
                .setParameter("state", SubmissionState.UNCERTAIN).setParameter("start", start)
                .setParameter("end", end).getResultList();
    }
}
