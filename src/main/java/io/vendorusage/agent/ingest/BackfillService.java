package io.vendorusage.agent.ingest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.vendorusage.agent.config.AgentConfig;
import io.vendorusage.agent.http.Problem.FieldError;
import io.vendorusage.agent.http.Problems;
import io.vendorusage.agent.outbox.NewEvent;
import io.vendorusage.agent.submission.period.BillingPeriods;
import io.vendorusage.agent.submission.period.OrgPeriod;

/**
 * Takes events older than {@code agent.ingest.max-lateness} (a replay after the vendor's own outage) as long as the
 * org's billing period holding each of them closed no more than {@code agent.submission.closed-period-grace} ago:
 * Genesys still bills them. Every other rule of ingest holds (bodies, idempotency, all or nothing).
 */
@ApplicationScoped
public class BackfillService {

    private static final Logger LOG = Logger.getLogger(BackfillService.class);
    /** Billing periods are monthly: the one holding an instant ends at most this long after it. */
    static final Duration LONGEST_PERIOD = Duration.ofDays(31);

    private final EventParser parser;
    private final IngestService ingest;
    private final BillingPeriods periods;
    private final AgentConfig config;
    private final Clock clock;

    public BackfillService(EventParser parser, IngestService ingest, BillingPeriods periods, AgentConfig config,
            Clock clock) {
        this.parser = parser;
        this.ingest = ingest;
        this.periods = periods;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Validates the body, reads the billing period of each org it names (from the store, or from the org detail
     * when the store holds none for now), and queues the events for storing when every one of them lies in a
     * period still open for billing. Blocks on the upstream: never call it on an I/O thread.
     *
     * @return the outcome per event, completed once the events are committed
     * @throws io.vendorusage.agent.http.ProblemException 400 naming each event whose period has closed
     */
    public CompletableFuture<IngestResponse> backfill(byte[] body, BodyForm form) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        List<NewEvent> events = parser.parse(body, now, form, true);
        Set<String> orgs = events.stream().map(NewEvent::organizationId).collect(Collectors.toSet());
        BillingPeriods.Book book = periods.prepare(orgs);
        Duration grace = config.submission().closedPeriodGrace();
        Instant closedBefore = now.minus(grace);
        List<FieldError> errors = new ArrayList<>();
        int assumed = 0;
        for (int i = 0; i < events.size(); i++) {
            NewEvent e = events.get(i);
            OrgPeriod period = book.periodOf(e.organizationId(), e.occurredAt());
            String closed = null;
            if (period.known() && period.end().isBefore(closedBefore)) {
                closed = "event " + e.eventId() + " lies in its org's billing period " + period.start() + " .. "
                        + period.end() + ", which ended more than agent.submission.closed-period-grace (" + grace
                        + ") ago";
            } else if (!period.known() && e.occurredAt().plus(LONGEST_PERIOD).isBefore(closedBefore)) {
                // the org's period is not known, but a monthly period holding the event ended 31 days after it
                // at the latest
                closed = "event " + e.eventId() + ": any billing period holding it ended by "
                        + e.occurredAt().plus(LONGEST_PERIOD) + ", more than agent.submission.closed-period-grace ("
                        + grace + ") ago";
            } else if (!period.known() && e.occurredAt().isBefore(closedBefore)) {
                assumed++; // its period may have closed or not: taking it loses nothing, Genesys decides
            }
            if (closed != null) {
                FieldError error = new FieldError(i, "occurredAt", closed);
                errors.add(form == BodyForm.JSON ? error : CloudEvents.renamed(error));
            }
        }
        if (!errors.isEmpty()) {
            throw Problems.invalid(errors.size() == 1 ? "1 event lies in a closed billing period; nothing was stored."
                    : errors.size() + " events lie in closed billing periods; nothing was stored.", errors);
        }
        if (assumed > 0) {
            LOG.infof("Backfill: %d event(s) taken although their org's billing period is not known yet and may have"
                    + " closed (the org detail could not be read): sending them is the choice that loses nothing",
                    assumed);
            periods.assumed(BillingPeriods.AssumedDecision.BACKFILL_TAKEN, assumed);
        }
        return ingest.store(events, now);
    }
}
