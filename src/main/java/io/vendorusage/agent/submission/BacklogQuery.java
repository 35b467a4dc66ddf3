package io.vendorusage.agent.submission;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.vendorusage.agent.outbox.OutboxWindows;
import io.vendorusage.agent.outbox.OutboxEventRepository.Backlog;

/**
 * The backlog: events not yet billed, that is events no record carries yet plus those carried by records
 * still planned, being sent or uncertain (counted from the records, without reading their events).
 */
@ApplicationScoped
public class BacklogQuery {

    private final OutboxWindows windows;
    private final SubmissionRepository submissions;

    public BacklogQuery(OutboxWindows windows, SubmissionRepository submissions) {
        this.windows = windows;
        this.submissions = submissions;
    }

    @Transactional
    public Backlog current() {
        return windows.unplanned().plus(submissions.openBacklog());
    }
}
