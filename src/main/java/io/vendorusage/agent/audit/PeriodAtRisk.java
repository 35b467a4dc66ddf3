package io.vendorusage.agent.audit;

import java.math.BigDecimal;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.vendorusage.agent.notify.NotificationType;
import io.vendorusage.agent.notify.Notifications;
import io.vendorusage.agent.observability.JobFailures;

/**
 * Tells of org billing periods the backlog will not drain before: each minute, an (org, app, period) holding
 * unconfirmed usage whose period closes before the drain at the current upstream pace would end (the same
 * estimate as {@code /v1/periods/current} and {@code VendorUsageDrainCrossesPeriodClose}) is notified as
 * {@code io.vendorusage.period.at-risk}, once per (org, app, period).
 */
@ApplicationScoped
public class PeriodAtRisk {

    private final PeriodClose close;
    private final Notifications notifications;
    private final JobFailures failures;

    public PeriodAtRisk(PeriodClose close, Notifications notifications, JobFailures failures) {
        this.close = close;
        this.notifications = notifications;
        this.failures = failures;
    }

    /** The {@code data} of a notification: the period's line, and the drain that would cross its close. */
    public record AtRisk(String organizationId, String appId, String mode, Instant periodStart, Instant periodEnd,
            String periodSource, long events, BigDecimal quantity, double drainSeconds, long postsToSend,
            Instant drainedAt) {
    }

    @Scheduled(identity = "period-at-risk", skipExecutionIf = Scheduled.ApplicationNotRunning.class,
            every = "60s", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (!notifications.wanted(NotificationType.PERIOD_AT_RISK)) {
            return;
        }
        failures.run("period-at-risk", this::check);
    }

    /** @return how many periods were newly notified */
    public int check() {
        PeriodView view = close.current();
        Instant drained = view.now().plusMillis((long) (view.drainSeconds() * 1000));
        int told = 0;
        for (PeriodView.Line line : view.unconfirmed()) {
            if (!line.periodEnd().isAfter(view.now()) || drained.isBefore(line.periodEnd())) {
                continue;
            }
            AtRisk data = new AtRisk(line.organizationId(), line.appId(), line.mode(), line.periodStart(),
                    line.periodEnd(), line.periodSource(), line.events(), line.quantity(), view.drainSeconds(),
                    view.postsToSend(), drained);
            String once = "at-risk:" + line.organizationId() + ":" + line.appId() + ":" + line.periodStart();
            told += QuarkusTransaction.requiringNew().call(() -> notifications
                    .publishOnce(NotificationType.PERIOD_AT_RISK, line.organizationId(), once, data).isPresent()) ? 1 : 0;
        }
        return told;
    }
}
