package io.vendorusage.agent.submission;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.Tuple;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.vendorusage.agent.outbox.OutboxEventRepository;

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

    /** A record holding the highest quantity of a billing period. */
    public record Peak(String id, BigDecimal quantity) {
    }

    /**
     * @return the record holding the highest quantity planned or sent for (org, app) in windows starting in
     *         [{@code start}, {@code end}), failed records left out
     */
    public Optional<Peak> periodPeak(String organizationId, String appId, Instant start, Instant end) {
        return getEntityManager().createQuery("select s.id as id, s.quantity as q from Submission s where s.organizationId = ?1"
                + " and s.appId = ?2 and s.bucketStart >= ?3 and s.bucketStart < ?4 and s.state <> ?5"
                + " order by s.quantity desc, s.bucketStart, s.revision", Tuple.class)
                .setParameter(1, organizationId).setParameter(2, appId).setParameter(3, start).setParameter(4, end)
                .setParameter(5, SubmissionState.FAILED).setMaxResults(1).getResultStream()
                .map(r -> new Peak(r.get("id", String.class), r.get("q", BigDecimal.class))).findFirst();
    }

    /**
     * @return the record still planned (not claimed for sending) of (org, app) whose window starts in
     *         [{@code from}, {@code to}], the earliest window first and its newest revision
     */
    public Optional<String> plannedRecordIn(String organizationId, String appId, Instant from, Instant to) {
        return getEntityManager().createQuery("select s.id from Submission s where s.organizationId = ?1"
                + " and s.appId = ?2 and s.bucketStart >= ?3 and s.bucketStart <= ?4 and s.state = ?5"
                + " order by s.bucketStart, s.revision desc", String.class)
                .setParameter(1, organizationId).setParameter(2, appId).setParameter(3, from).setParameter(4, to)
                .setParameter(5, SubmissionState.PLANNED).setMaxResults(1).getResultStream().findFirst();
    }

    /**
     * Locks a record for new events if it is still planned: a guarded update, so a sender's claim either
     * happened before (and this returns false) or waits until the caller's transaction ends.
     */
    public boolean lockIfPlanned(String id, Instant now) {
        return update("version = version + 1, updatedAt = ?1 where id = ?2 and state = ?3", now, id,
                SubmissionState.PLANNED) == 1;
    }

    /** Sets a planned record's figures after events were folded into it. */
    public void refigure(String id, BigDecimal quantity, long eventCount, Instant firstReceivedAt) {
        update("quantity = ?1, eventCount = ?2, firstReceivedAt = ?3 where id = ?4", quantity, (int) eventCount,
                firstReceivedAt, id);
    }

    /** Counts events a high-water-mark peak now covers; the record's state and version are untouched. */
    public void addEvents(String id, int count) {
        update("eventCount = eventCount + ?1 where id = ?2", count, id);
    }

    /** @return events in records not yet confirmed or failed, and when the oldest of them arrived */
    public OutboxEventRepository.Backlog openBacklog() {
        Tuple row = getEntityManager().createQuery("select sum(s.eventCount) as events,"
                + " min(s.firstReceivedAt) as oldest from Submission s where s.state in :open", Tuple.class)
                .setParameter("open", SubmissionState.OPEN).getSingleResult();
        Number events = row.get("events", Number.class);
        return new OutboxEventRepository.Backlog(events == null ? 0 : events.longValue(),
                row.get("oldest", Instant.class));
    }

    /** @return how many records are planned */
    public long countPlanned() {
        return count("state", SubmissionState.PLANNED);
    }

    /** Planned records of one org: how many, and the window of the oldest. */
    public record PlannedOfOrg(String organizationId, long records, Instant oldestWindow) {
    }

    /** @return per org with planned records, how many and the oldest window */
    public List<PlannedOfOrg> plannedByOrg() {
        return getEntityManager().createQuery("select new " + PlannedOfOrg.class.getName()
                + "(s.organizationId, count(s), min(s.bucketStart)) from Submission s where s.state = :planned"
                + " group by s.organizationId", PlannedOfOrg.class).setParameter("planned", SubmissionState.PLANNED)
                .getResultList();
    }

    /** @return the state of a record, if it exists */
    public Optional<SubmissionState> stateOf(String id) {
        return getEntityManager().createQuery("select s.state from Submission s where s.id = :id",
                SubmissionState.class).setParameter("id", id).getResultStream().findFirst();
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
        getEntityManager().createQuery("select s.state as state, count(s) as n from Submission s group by s.state",
                Tuple.class).getResultStream()
                .forEach(r -> counts.put(r.get("state", SubmissionState.class), r.get("n", Number.class).longValue()));
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
