package io.vendorusage.agent.submission;

import java.util.Locale;

/** An operator asked to resend a record that is neither failed nor uncertain; nothing changed. */
public final class RecordNotRetryable extends RuntimeException {

    RecordNotRetryable(String id, SubmissionState state) {
        super("Submission " + id + " is " + state.name().toLowerCase(Locale.ROOT) + ".", null, false, false);
    }
}
