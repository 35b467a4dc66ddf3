package io.vendorusage.agent.submission;

/** No record of the ledger has this id. */
public final class RecordNotFound extends RuntimeException {

    RecordNotFound(String id) {
        super("No submission with id " + id + ".", null, false, false);
    }
}
