package io.vendorusage.agent.reconciliation;

import java.util.ArrayList;
import java.util.List;

/** What one run spent and could not read: upstream calls, and a note per missing region, page or detail. */
final class RunTally {

    private int calls;
    private final List<String> missing = new ArrayList<>();

    void called() {
        calls++;
    }

    void missing(String what) {
        missing.add(what);
    }

    int calls() {
        return calls;
    }

    boolean complete() {
        return missing.isEmpty();
    }

    /** @return the missing parts, for the run's record (at most {@code max} characters), or null */
    String missingText(int max) {
        if (missing.isEmpty()) {
            return null;
        }
        String text = String.join("; ", missing);
        return text.length() <= max ? text : text.substring(0, max);
    }
}
