package io.vendorusage.agent.submission;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;


/** Read and operator actions on the ledger, mapped to views inside the transaction. */
@ApplicationScoped
public class LedgerQueries {

    private final SubmissionRepository submissions;
    private final LedgerService ledger;

    public LedgerQueries(SubmissionRepository submissions, LedgerService ledger) {
        this.submissions = submissions;
        this.ledger = ledger;
    }

    @Transactional
    public List<SubmissionView> list(Optional<SubmissionState> state, int limit) {
        return submissions.listNewestFirst(state, limit).stream().map(SubmissionView::of).toList();
    }

    @Transactional
    public SubmissionView retry(String id) {
        return SubmissionView.of(ledger.operatorRetry(id));
    }
}
