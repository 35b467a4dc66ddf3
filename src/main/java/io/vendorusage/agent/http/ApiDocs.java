package io.vendorusage.agent.http;

/**
 * Names the resources' OpenAPI annotations share with the document's definition ({@code web.ApiDefinition}): the
 * two bearer-token schemes and the problem responses every endpoint may give, declared once as components.
 */
public final class ApiDocs {

    /** The vendor app's token, {@code agent.ingest.token}. */
    public static final String INGEST_TOKEN = "ingestToken";
    /** The operator's token, {@code agent.admin.token}. */
    public static final String ADMIN_TOKEN = "adminToken";

    public static final String INVALID = "Invalid";
    public static final String UNAUTHORIZED = "Unauthorized";
    public static final String FORBIDDEN = "Forbidden";
    public static final String NOT_FOUND = "NotFound";
    public static final String CONFLICT = "Conflict";
    public static final String TOO_LARGE = "TooLarge";
    public static final String UNSUPPORTED = "UnsupportedMediaType";
    public static final String UNAVAILABLE = "Unavailable";

    private ApiDocs() {
    }
}
