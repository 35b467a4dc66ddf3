package io.vendorusage.agent.submission;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.vendorusage.agent.config.AgentConfig;
import io.vendorusage.agent.config.AppMode;
import io.vendorusage.agent.config.AppModes;
import io.vendorusage.agent.notify.NotificationType;
import io.vendorusage.agent.notify.Notifications;
import io.vendorusage.agent.observability.JobFailures;
import io.vendorusage.agent.outbox.OutboxEventRepository;
import io.vendorusage.agent.outbox.OutboxEventRepository.Aggregate;
import io.vendorusage.agent.outbox.OutboxEventRepository.GroupKey;
import io.vendorusage.agent.outbox.OutboxEventRepository.WindowRange;
import io.vendorusage.agent.outbox.OutboxWindows;
import io.vendorusage.agent.store.StoreValues;
import io.vendorusage.agent.submission.period.BillingPeriods;
import io.vendorusage.agent.submission.period.OrgPeriod;

/**
 * Usage thresholds ({@code agent.apps."<appId>".usage-thresholds}): counts every accepted event once into the
 * tally of its org, app and the org's billing period ({@code usage_tally}: the sum, and the peak for
 * high-water-mark apps), and notifies each threshold the tally reaches, once per (org, app, period, threshold).
 * A window's new events, its tally and the notifications they cause are one transaction under the window's row
 * lock, and the notification's once-key is unique in the store: no restart and no second agent tells a crossing
 * twice, and none is lost. Events count as they are accepted (not when billed), within seconds. A window whose
 * org's period is not known yet waits for it (the submitter fetches it before planning): a tally on a guessed
 * period could put a crossing in the wrong period; the events stay counted-later, never lost.
 */
@ApplicationScoped
public class UsageThresholds {

    private static final Logger LOG = Logger.getLogger(UsageThresholds.class);
    static final int WINDOWS_PER_PASS = 500;

    private final OutboxWindows windows;
    private final OutboxEventRepository events;
    private final BillingPeriods periods;
    private final Notifications notifications;
    private final EntityManager em;
    private final AppModes modes;
    private final Clock clock;
    private final JobFailures failures;
    /** Thresholds by app, ascending. */
    private final Map<String, List<BigDecimal>> thresholds = new TreeMap<>();

    public UsageThresholds(OutboxWindows windows, OutboxEventRepository events, BillingPeriods periods,
            Notifications notifications, EntityManager em, AppModes modes, Clock clock, JobFailures failures,
            AgentConfig config) {
        this.windows = windows;
        this.events = events;
        this.periods = periods;
        this.notifications = notifications;
        this.em = em;
        this.modes = modes;
        this.clock = clock;
        this.failures = failures;
        config.apps().forEach((app, c) -> c.usageThresholds().filter(t -> !t.isEmpty())
                .ifPresent(t -> thresholds.put(app, List.copyOf(new TreeSet<>(t)))));
    }

    /** @return whether any threshold is watched (notifications on and an app with thresholds) */
    public boolean enabled() {
        return !thresholds.isEmpty() && notifications.wanted(NotificationType.USAGE_THRESHOLD_CROSSED);
    }

    @Scheduled(identity = "usage-thresholds", skipExecutionIf = Scheduled.ApplicationNotRunning.class,
            every = "${agent.notifications.interval}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (!enabled()) {
            return;
        }
        failures.run("usage-thresholds", this::pass);
    }

    /** @return how many crossings were notified */
    public int pass() {
        List<GroupKey> waiting = QuarkusTransaction.requiringNew()
                .call(() -> windows.untallied(thresholds.keySet(), WINDOWS_PER_PASS));
        if (waiting.isEmpty()) {
            return 0;
        }
        BillingPeriods.Book book = periods.prepare(waiting.stream().map(GroupKey::organizationId).distinct().toList());
        int notified = 0;
        for (GroupKey window : waiting) {
            OrgPeriod period = book.periodOf(window.organizationId(), window.bucketStart());
            if (book.waiting().contains(window.organizationId()) || !period.known()) {
                continue;
            }
            notified += QuarkusTransaction.requiringNew().call(() -> tally(window, period));
        }
        return notified;
    }

    private int tally(GroupKey window, OrgPeriod period) {
        WindowRange range = windows.lockUntallied(window).orElse(null);
        if (range == null) {
            return 0;
        }
        Aggregate added = events.aggregate(range);
        windows.tallied(range);
        if (added.count() == 0) {
            return 0;
        }
        TallyKey key = new TallyKey(window.organizationId(), window.appId(), utc(period.start()));
        em.createNativeQuery("INSERT INTO usage_tally (organization_id, app_id, period_start, period_end, quantity,"
                + " peak) VALUES (?1, ?2, ?3, ?4, ?5, ?5) ON CONFLICT DO NOTHING").setParameter(1, key.org())
                .setParameter(2, key.app()).setParameter(3, key.periodStart()).setParameter(4, utc(period.end()))
                .setParameter(5, BigDecimal.ZERO).executeUpdate();
        // the row's lock (taken by this update) makes agents counting other windows of the period take turns
        em.createNativeQuery("UPDATE usage_tally SET period_end = period_end WHERE organization_id = ?1"
                + " AND app_id = ?2 AND period_start = ?3").setParameter(1, key.org()).setParameter(2, key.app())
                .setParameter(3, key.periodStart()).executeUpdate();
        Tuple before = (Tuple) em.createNativeQuery("SELECT quantity AS q, peak AS p FROM usage_tally"
                + " WHERE organization_id = ?1 AND app_id = ?2 AND period_start = ?3", Tuple.class)
                .setParameter(1, key.org()).setParameter(2, key.app()).setParameter(3, key.periodStart()).getSingleResult();
        BigDecimal sum = StoreValues.decimal(before.get("q"));
        BigDecimal peak = StoreValues.decimal(before.get("p"));
        BigDecimal newSum = sum.add(added.sum());
        BigDecimal newPeak = added.max() != null && added.max().compareTo(peak) > 0 ? added.max() : peak;
        em.createNativeQuery("UPDATE usage_tally SET quantity = ?4, peak = ?5 WHERE organization_id = ?1"
                + " AND app_id = ?2 AND period_start = ?3").setParameter(1, key.org()).setParameter(2, key.app())
                .setParameter(3, key.periodStart()).setParameter(4, newSum).setParameter(5, newPeak).executeUpdate();
        AppMode mode = modes.of(window.appId());
        BigDecimal from = mode == AppMode.HIGH_WATER_MARK ? peak : sum;
        BigDecimal to = mode == AppMode.HIGH_WATER_MARK ? newPeak : newSum;
        int notified = 0;
        for (BigDecimal threshold : thresholds.getOrDefault(window.appId(), List.of())) {
            if (from.compareTo(threshold) < 0 && to.compareTo(threshold) >= 0) {
                String once = "usage-threshold:" + window.organizationId() + ":" + window.appId() + ":"
                        + period.start() + ":" + threshold.stripTrailingZeros().toPlainString();
                if (notifications.publishOnce(NotificationType.USAGE_THRESHOLD_CROSSED, window.organizationId(),
                        once, new Crossing(window.organizationId(), window.appId(), wire(mode),
                                threshold.stripTrailingZeros(), to.stripTrailingZeros(), period.start(), period.end(),
                                clock.instant())).isPresent()) {
                    notified++;
                    LOG.infof("Usage threshold %s crossed: org=%s app=%s period=%s..%s usage=%s",
                            threshold.toPlainString(), window.organizationId(), window.appId(), period.start(),
                            period.end(), to.toPlainString());
                }
            }
        }
        return notified;
    }

    /** The row of {@code usage_tally} a window's events count into. */
    private record TallyKey(String org, String app, OffsetDateTime periodStart) {
    }

    /** The {@code data} of a threshold notification. */
    public record Crossing(String organizationId, String appId, String mode, BigDecimal threshold, BigDecimal usage,
            Instant periodStart, Instant periodEnd, Instant crossedAt) {
    }

    private static String wire(AppMode mode) {
        return mode.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
