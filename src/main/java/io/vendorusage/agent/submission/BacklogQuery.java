package io.vendorusage.agent.submission;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.vendorusage.agent.outbox.OutboxEventRepository;
import io.vendorusage.agent.outbox.OutboxEventRepository.Backlog;

/**
 * The backlog: events not yet billed, that is events no record carries yet plus those carried by records
 * still planned, being sent or uncertain (counted from the records, without reading their events).
 */
@ApplicationScoped
public class BacklogQuery {

    private final OutboxEventRepository events;
    private final SubmissionRepository submissions;

    public BacklogQuery(OutboxEventRepository events, SubmissionRepository submissions) {
        this.events = events;
        this.submissions = submissions;
    }

    @Transactional
    public Backlog current() {
        return events.unassigned().plus(submissions.openBacklog());
    }
}
