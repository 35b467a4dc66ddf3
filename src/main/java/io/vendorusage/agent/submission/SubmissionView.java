package io.vendorusage.agent.submission;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;


/** A ledger record as the operator API shows it. */
public record SubmissionView(String id, String organizationId, String appId, Instant bucketStart, int revision,
        String mode, BigDecimal quantity, int eventCount, String state, int attempts, Instant nextAttemptAt,
        String lastOutcome, Integer lastHttpStatus, String lastErrorCode, String lastErrorMessage,
        String lastCorrelationId, String confirmation, Instant createdAt, Instant updatedAt, Instant confirmedAt) {

    static SubmissionView of(Submission s) {
        return new SubmissionView(s.id, s.organizationId, s.appId, s.bucketStart, s.revision,
                s.mode.name().toLowerCase(Locale.ROOT).replace('_', '-'), s.quantity.stripTrailingZeros(),
                s.eventCount, s.state.name().toLowerCase(Locale.ROOT), s.attempts, s.nextAttemptAt, s.lastOutcome,
                s.lastHttpStatus, s.lastErrorCode, s.lastErrorMessage, s.lastCorrelationId, s.confirmation,
                s.createdAt, s.updatedAt, s.confirmedAt);
    }
}
