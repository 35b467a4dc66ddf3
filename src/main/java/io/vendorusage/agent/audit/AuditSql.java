package io.vendorusage.agent.audit;

/** SQL the audit's queries share; portable between SQLite and PostgreSQL. */
final class AuditSql {

    /**
     * Joins an event {@code e} to the record {@code s} that carries it, through the range of ordinals of its window
     * ({@code submission_window w}); both stay null while no record carries the event.
     */
    static final String RECORD_OF_EVENT = " LEFT JOIN submission_window w ON w.organization_id = e.organization_id"
            + " AND w.app_id = e.app_id AND w.bucket_start = e.bucket_start AND w.first_seq <= e.window_seq"
            + " AND w.last_seq >= e.window_seq LEFT JOIN submission s ON s.id = w.submission_id";

    private AuditSql() {
    }
}
