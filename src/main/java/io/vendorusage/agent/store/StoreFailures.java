package io.vendorusage.agent.store;

import java.sql.SQLException;

import jakarta.persistence.PersistenceException;
import jakarta.transaction.RollbackException;

/** Tells whether an exception means the store could not be used (unreachable, full, read-only). */
public final class StoreFailures {

    private StoreFailures() {
    }

    /** @return whether {@code t} or one of its causes comes from the database or its transaction */
    public static boolean isStoreFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SQLException || c instanceof PersistenceException || c instanceof RollbackException
                    || c instanceof jakarta.transaction.SystemException
                    || c instanceof org.hibernate.exception.JDBCConnectionException) {
                return true;
            }
        }
        return false;
    }

    /** @return the innermost cause as "Type: message", for a log line or a health check */
    public static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        // the store's own words where there are some: a transaction manager that fails a commit keeps the
        // driver's error as a suppressed exception, not as the cause ("Could not commit transaction")
        SQLException store = storeError(e, 0);
        Throwable told = store != null ? store : root;
        return told.getClass().getSimpleName() + ": " + told.getMessage();
    }

    private static SQLException storeError(Throwable e, int depth) {
        SQLException found = null;
        for (Throwable t = e; t != null && depth < 20; t = t.getCause() == t ? null : t.getCause(), depth++) {
            if (t instanceof SQLException s) {
                found = s;
            }
            for (Throwable suppressed : t.getSuppressed()) {
                SQLException inner = storeError(suppressed, depth + 1);
                if (inner != null) {
                    found = inner;
                }
            }
        }
        return found;
    }
}
