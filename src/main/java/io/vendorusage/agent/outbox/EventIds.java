package io.vendorusage.agent.outbox;

/** The forms of the identifiers an event carries, for every API that takes them. */
public final class EventIds {

    /** An event id: the idempotency key. */
    public static final String EVENT_ID_PATTERN = "[A-Za-z0-9._:-]{1,128}";

    /** A Genesys organization id: a UUID. */
    public static final String ORGANIZATION_ID_PATTERN =
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

    /** An AppFoundry app id: 1 to 128 characters, no control characters, no spaces around. */
    public static final String APP_ID_PATTERN = "[^\\p{Cntrl}\\s](?:[^\\p{Cntrl}]{0,126}[^\\p{Cntrl}\\s])?";

    private EventIds() {
    }
}
