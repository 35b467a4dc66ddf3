package io.vendorusage.agent.web;

import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.vendorusage.agent.http.Problem;
import io.vendorusage.agent.http.ProblemException;
import io.vendorusage.agent.http.Problems;
import io.vendorusage.agent.outbox.EventConflict;
import io.vendorusage.agent.outbox.IngestSaturated;
import io.vendorusage.agent.store.StoreFailures;
import io.vendorusage.agent.submission.RecordNotFound;
import io.vendorusage.agent.submission.EventNotCancellable;
import io.vendorusage.agent.submission.RecordNotRetryable;

/**
 * The one place where failures become answers: every exception a resource lets out ends as an RFC 9457 problem
 * document. Refusals keep their status; the features' own exceptions get theirs here (a reused event id 409, a
 * full queue 503, an unknown or unretryable record 404 and 409); store failures become 503 (the caller retries;
 * nothing was written); anything else a 500 logged once with a correlation id. Never a class name or a stack
 * trace in a response.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response refused(ProblemException e) {
        Response.ResponseBuilder response = Response.status(e.status());
        if (e.status() == 401) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        if (e.retryAfterSeconds() != null) {
            response.header(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds().toString());
        }
        return respond(response, e.toProblem());
    }

    @ServerExceptionMapper
    public Response conflict(EventConflict e) {
        List<Problem.FieldError> errors = e.conflicts().stream().map(c -> new Problem.FieldError(c.index(), "eventId",
                "eventId " + c.eventId() + " was already used for an event with different content")).toList();
        return refused(Problems.conflict(e.getMessage(), errors));
    }

    @ServerExceptionMapper
    public Response saturated(IngestSaturated e) {
        return refused(Problems.unavailable(e.getMessage(), e.retryAfterSeconds()));
    }

    @ServerExceptionMapper
    public Response unknownRecord(RecordNotFound e) {
        return refused(Problems.notFound("No submission with this id."));
    }

    @ServerExceptionMapper
    public Response notRetryable(RecordNotRetryable e) {
        return refused(new ProblemException(409, "submission-not-retryable",
                "Only failed or uncertain submissions can be retried", e.getMessage()));
    }

    @ServerExceptionMapper
    public Response notCancellable(EventNotCancellable e) {
        return refused(new ProblemException(409, "event-not-cancellable",
                "The event's record has gone beyond planned", e.getMessage()));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e);
        }
        String type = switch (status) {
            case 415 -> "unsupported-media-type";
            case 405 -> "method-not-allowed";
            case 404 -> "not-found";
            case 406 -> "not-acceptable";
            default -> "bad-request";
        };
        Response.Status known = Response.Status.fromStatusCode(status);
        String detail;
        if (e instanceof NotSupportedException) {
            detail = "Send the body as application/json.";
        } else if (e instanceof NotAllowedException) {
            detail = "This method is not allowed on this path.";
        } else {
            detail = known == null ? "The request was refused." : known.getReasonPhrase() + ".";
        }
        String title = known == null ? "Request refused" : known.getReasonPhrase();
        Problem problem = new Problem(Problems.TYPE_BASE + type, title, status, detail, null, null);
        Response.ResponseBuilder response = Response.status(status);
        if (e.getResponse().getHeaderString(HttpHeaders.ALLOW) != null) {
            response.header(HttpHeaders.ALLOW, e.getResponse().getHeaderString(HttpHeaders.ALLOW));
        }
        return respond(response, problem);
    }

    /** A body that stopped arriving (a slow or vanished client) is the client's problem, not a server error. */
    @ServerExceptionMapper
    public Response unreadableBody(java.io.IOException e) {
        boolean timedOut = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("timed out");
        int status = timedOut ? 408 : 400;
        Problem problem = new Problem(Problems.TYPE_BASE + "unreadable-body", "The request body could not be read",
                status, timedOut ? "The body did not arrive in time; nothing was stored."
                        : "The body could not be read completely; nothing was stored.", null, null);
        return respond(Response.status(status), problem);
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e) {
        String correlationId = UUID.randomUUID().toString();
        if (StoreFailures.isStoreFailure(e)) {
            LOG.warnf("Store unavailable [correlationId=%s]: %s", correlationId, StoreFailures.describe(e));
            Problem problem = new Problem(Problems.TYPE_BASE + "store-unavailable", "The store is unavailable", 503,
                    "Nothing from this request was stored; retry later.", correlationId, null);
            return respond(Response.status(503).header(HttpHeaders.RETRY_AFTER, "5"), problem);
        }
        LOG.errorf(e, "Unexpected error [correlationId=%s]", correlationId);
        Problem problem = new Problem(Problems.TYPE_BASE + "internal-error", "Internal error", 500,
                "The agent could not handle this request; quote the correlation id when reporting it.",
                correlationId, null);
        return respond(Response.status(500), problem);
    }

    private static Response respond(Response.ResponseBuilder response, Problem problem) {
        return response.type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
