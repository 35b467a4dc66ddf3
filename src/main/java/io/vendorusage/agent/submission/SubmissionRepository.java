package io.vendorusage.agent.submission;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;

/** Queries and guarded state changes of the ledger. */
@ApplicationScoped
public class SubmissionRepository implements PanacheRepositoryBase<Submission, String> {

    public int nextRevision(String organizationId, String appId, Instant bucketStart) {
        Integer max = getEntityManager().createQuery("select max(s.revision) from Submission s where"
                + " s.organizationId = :org and s.appId = :app and s.bucketStart = :bucket", Integer.class)
                .setParameter("org", organizationId).setParameter("app", appId).setParameter("bucket", bucketStart)
                .getSingleResult();
        return max == null ? 1 : max + 1;
    }

    /** @return the record holding the window's highest quantity among those not failed */
    public Optional<Submission> currentPeak(String organizationId, String appId, Instant bucketStart) {
        return find("organizationId = ?1 and appId = ?2 and bucketStart = ?3 and state <> ?4",
                Sort.descending("quantity").and("revision", Sort.Direction.Descending),
                organizationId, appId, bucketStart, SubmissionState.FAILED).firstResultOptional();
    }

    /** Ids of records due for an attempt, oldest window first (closest to its billing period's end). */
    public List<String> dueIds(Instant now, int limit) {
        return getEntityManager().createQuery("select s.id from Submission s where s.state = :state"
                + " and s.nextAttemptAt <= :now order by s.bucketStart, s.createdAt", String.class)
                .setParameter("state", SubmissionState.PLANNED).setParameter("now", now)
                .setMaxResults(limit).getResultList();
    }

    /**
     * Claims a due record for sending, if nobody else has: a guarded update, so two senders (threads or
     * agents sharing the store) can never both win.
     *
     * @return whether this caller now holds the record
     */
    public boolean claim(String id, String owner, Instant now, Instant leaseUntil) {
        return update("state = ?1, leaseOwner = ?2, leaseUntil = ?3, attempts = attempts + 1, lastSentAt = ?4,"
                + " updatedAt = ?4, version = version + 1 where id = ?5 and state = ?6 and nextAttemptAt <= ?4",
                SubmissionState.SENDING, owner, leaseUntil, now, id, SubmissionState.PLANNED) == 1;
    }

    /** Ids of records whose sender vanished mid-POST (crash, kill): their outcome is unknown. */
    public List<String> expiredLeases(Instant now) {
        return getEntityManager().createQuery("select s.id from Submission s where s.state = :state"
                + " and s.leaseUntil < :now", String.class)
                .setParameter("state", SubmissionState.SENDING).setParameter("now", now).getResultList();
    }

    public Map<SubmissionState, Long> countByState() {
        Map<SubmissionState, Long> counts = new EnumMap<>(SubmissionState.class);
        for (SubmissionState s : SubmissionState.values()) {
            counts.put(s, 0L);
        }
        getEntityManager().createQuery("select s.state, count(s) from Submission s group by s.state", Object[].class)
                .getResultStream()
                .forEach(r -> counts.put((SubmissionState) r[0], ((Number) r[1]).longValue()));
        return counts;
    }

    public Optional<Instant> lastConfirmedAt() {
        return Optional.ofNullable(getEntityManager().createQuery("select max(s.confirmedAt) from Submission s",
                Instant.class).getSingleResult());
    }

    public List<Submission> listNewestFirst(Optional<SubmissionState> state, int limit) {
        Sort sort = Sort.descending("updatedAt").and("id");
        return (state.isPresent() ? find("state", sort, state.get()) : findAll(sort)).page(0, limit).list();
    }
}
