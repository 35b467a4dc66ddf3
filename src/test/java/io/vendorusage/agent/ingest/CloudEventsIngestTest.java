package io.vendorusage.agent.ingest;

import static io.vendorusage.agent.testsupport.TestEvents.cloudEvent;
import static io.vendorusage.agent.testsupport.TestEvents.ingest;
import static io.vendorusage.agent.testsupport.TestEvents.newId;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.vendorusage.agent.testsupport.TestEvents;

/** CloudEvents 1.0 in structured mode on the ingest endpoint: the mapping, and every rule of the JSON form. */
@QuarkusTest
class CloudEventsIngestTest {

    private static ValidatableResponse one(Object body) {
        return ingest().contentType(BodyForm.CLOUD_EVENT_TYPE).body(body).post("/v1/usage-events").then();
    }

    private static ValidatableResponse batch(Object body) {
        return ingest().contentType(BodyForm.CLOUD_EVENT_BATCH_TYPE).body(body).post("/v1/usage-events").then();
    }

    private static void notStored(String id) {
        ingest().get("/v1/usage-events/{id}", id).then().statusCode(404);
    }

    @Test
    void aCloudEventIsStoredUnderTheMappedFields() {
        String id = newId();
        Map<String, Object> event = cloudEvent(id);
        String org = java.util.UUID.randomUUID().toString();
        event.put("subject", org);
        event.put("type", TestEvents.PEAK_APP);
        ((Map<String, Object>) event.get("data")).put("quantity", 12.5);
        event.put("time", "2026-12-05T09:30:00+01:00".replace("2026-12-05",
                Instant.now().minus(1, ChronoUnit.DAYS).toString().substring(0, 10)));
        event.put("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"); // an extension
        ingest().contentType(BodyForm.CLOUD_EVENT_TYPE + "; charset=utf-8").body(event).post("/v1/usage-events")
                .then().statusCode(202).body("accepted", equalTo(1)).body("events[0].eventId", equalTo(id))
                .body("events[0].status", equalTo("accepted"));
        ingest().get("/v1/usage-events/{id}", id).then().statusCode(200)
                .body("organizationId", equalTo(org)).body("appId", equalTo(TestEvents.PEAK_APP))
                .body("quantity", equalTo(12.5f)).body("occurredAt", containsString("T08:30:00"))
                .body("status", equalTo("pending"));
    }

    @Test
    void aBatchIsAllOrNothingAndAResendIsDuplicate() {
        List<Map<String, Object>> events = List.of(cloudEvent(newId()), cloudEvent(newId()));
        batch(events).statusCode(202).body("accepted", equalTo(2));
        batch(events).statusCode(202).body("accepted", equalTo(0)).body("duplicates", equalTo(2));

        Map<String, Object> good = cloudEvent(newId());
        Map<String, Object> bad = cloudEvent(newId());
        ((Map<String, Object>) bad.get("data")).put("quantity", "5");
        batch(List.of(good, bad)).statusCode(400)
                .body("errors", hasSize(1))
                .body("errors[0].index", equalTo(1))
                .body("errors[0].field", equalTo("data.quantity"))
                .body("errors[0].reason", equalTo("must be a JSON number, not string"));
        notStored((String) good.get("id"));
    }

    @Test
    void theSameIdWithOtherContentIsAConflict() {
        Map<String, Object> event = cloudEvent(newId());
        one(event).statusCode(202);
        ((Map<String, Object>) event.get("data")).put("quantity", 4);
        one(event).statusCode(409).body("status", equalTo(409));
    }

    @Test
    void theJsonFormAndTheCloudEventOfOneEventAreTheSameContent() {
        String id = newId();
        Map<String, Object> plain = TestEvents.event(id);
        ingest().body(plain).post("/v1/usage-events").then().statusCode(202).body("accepted", equalTo(1));
        Map<String, Object> event = cloudEvent(id);
        event.put("time", plain.get("occurredAt"));
        one(event).statusCode(202).body("duplicates", equalTo(1));
    }

    @Test
    void errorsNameTheCloudEventsAttributes() {
        Map<String, Object> event = cloudEvent(newId());
        event.put("id", 7);
        event.put("subject", "not-a-uuid");
        event.remove("type");
        event.put("time", Instant.now().plus(1, ChronoUnit.HOURS).toString());
        event.put("specversion", "0.3");
        event.remove("source");
        one(event).statusCode(400)
                .body("errors.field", equalTo(List.of("id", "source", "specversion", "subject", "time", "type")))
                .body("errors.find { it.field == 'id' }.reason", equalTo("must be a JSON string, not number"))
                .body("errors.find { it.field == 'type' }.reason", equalTo("is required"))
                .body("errors.find { it.field == 'time' }.reason",
                        equalTo("must not be more than 5 minutes in the future"));
        notStored("7");
    }

    @Test
    void unknownTopLevelNamesAreRefusedButExtensionsAreNot() {
        Map<String, Object> camel = cloudEvent(newId());
        camel.put("eventId", "x");
        one(camel).statusCode(400).body("errors[0].field", equalTo("eventId"))
                .body("errors[0].reason", containsString("is not a CloudEvents attribute"));

        Map<String, Object> nested = cloudEvent(newId());
        nested.put("region", Map.of("name", "us"));
        one(nested).statusCode(400).body("errors[0].field", equalTo("region"))
                .body("errors[0].reason", equalTo("an extension attribute must be a string, number or boolean"));

        Map<String, Object> base64 = cloudEvent(newId());
        base64.remove("data");
        base64.put("data_base64", "eyJxdWFudGl0eSI6MX0=");
        one(base64).statusCode(400).body("errors.field", hasItem("data_base64")).body("errors.field", hasItem("data"));

        Map<String, Object> xml = cloudEvent(newId());
        xml.put("datacontenttype", "application/xml");
        one(xml).statusCode(400).body("errors[0].field", equalTo("datacontenttype"));

        Map<String, Object> extended = cloudEvent(newId());
        extended.put("partitionkey", "org-1");
        extended.put("sequence", 42);
        extended.put("sampled", true);
        one(extended).statusCode(202).body("accepted", equalTo(1));
    }

    @Test
    void binaryModeIsRefusedNamingStructuredMode() {
        String id = newId();
        ingest().header("ce-specversion", "1.0").header("ce-id", id).header("ce-source", "//x")
                .header("ce-type", TestEvents.SUM_APP).header("ce-subject", TestEvents.ORG)
                .body(Map.of("quantity", 1)).post("/v1/usage-events").then().statusCode(400)
                .body("detail", containsString("structured mode"));
        notStored(id);
    }

    @Test
    void theBodyShapeMustFitTheContentType() {
        one(List.of(cloudEvent(newId()))).statusCode(400)
                .body("detail", containsString(BodyForm.CLOUD_EVENT_BATCH_TYPE));
        batch(cloudEvent(newId())).statusCode(400).body("detail", containsString(BodyForm.CLOUD_EVENT_TYPE));
        batch(List.of()).statusCode(400);
        List<Map<String, Object>> tooMany = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            tooMany.add(Map.of("id", "x" + i));
        }
        batch(tooMany).statusCode(413);
        batch(List.of(cloudEvent(newId()), "text")).statusCode(400)
                .body("errors[0].reason", equalTo("must be a JSON object (a CloudEvent)"));
    }
}
