package io.vendorusage.agent.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.vendorusage.agent.http.ProblemException;

/** How an ingest body is taken apart before any event is judged, without Quarkus. */
class BodyReaderTest {

    private final BodyReader reader = new BodyReader(new ObjectMapper());

    private static byte[] bytes(String text) {
        return text.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
    }

    private ProblemException refused(String body, BodyForm form) {
        return assertThrows(ProblemException.class, () -> reader.items(bytes(body), form), body);
    }

    @Test
    void oneObjectOrAnArrayOfThemGivesItsItemsInOrder() {
        assertEquals(1, reader.items(bytes("{'a':1}"), BodyForm.JSON).size());
        var items = reader.items(bytes("[{'n':1},{'n':2},{'n':3}]"), BodyForm.JSON);
        assertEquals(3, items.size());
        assertEquals(3, items.get(2).get("n").asInt());
        assertEquals("0.1000000000000000000001", reader.items(bytes("{'q':0.1000000000000000000001}"), BodyForm.JSON)
                .get(0).get("q").decimalValue().toPlainString(), "decimals stay exact");
    }

    @Test
    void aBodyThatIsNotStrictJsonIsMalformed() {
        for (String body : new String[] { "", "{'a':1", "{'a':1,'a':2}", "{'a':1} {'b':2}", "nope" }) {
            ProblemException p = refused(body, BodyForm.JSON);
            assertEquals(400, p.status(), body);
            assertTrue(p.type().endsWith("malformed-json"), body + " -> " + p.type());
        }
        assertTrue(refused("{'a':1,'a':2}", BodyForm.JSON).getMessage().contains("line 1"),
                "the position is named");
    }

    @Test
    void theSizeAndTheNumberOfEventsAreBounded() {
        byte[] big = new byte[EventParser.MAX_BODY_BYTES + 1];
        java.util.Arrays.fill(big, (byte) ' ');
        assertEquals(413, assertThrows(ProblemException.class, () -> reader.items(big, BodyForm.JSON)).status());
        byte[] justFits = new byte[EventParser.MAX_BODY_BYTES];
        java.util.Arrays.fill(justFits, (byte) ' ');
        justFits[0] = '{';
        justFits[1] = '}';
        assertEquals(1, reader.items(justFits, BodyForm.JSON).size());
        String thousand = "[" + "{},".repeat(EventParser.MAX_EVENTS - 1) + "{}]";
        assertEquals(EventParser.MAX_EVENTS, reader.items(bytes(thousand), BodyForm.JSON).size());
        assertEquals(413, refused("[" + "{},".repeat(EventParser.MAX_EVENTS) + "{}]", BodyForm.JSON).status());
        assertEquals(400, refused("[]", BodyForm.JSON).status());
        assertEquals(400, refused("42", BodyForm.JSON).status());
    }

    @Test
    void aCloudEventFormMustHaveItsShape() {
        assertEquals(400, refused("[{}]", BodyForm.CLOUD_EVENT).status());
        assertTrue(refused("[{}]", BodyForm.CLOUD_EVENT).getMessage().contains(BodyForm.CLOUD_EVENT_BATCH_TYPE));
        assertEquals(400, refused("{}", BodyForm.CLOUD_EVENT_BATCH).status());
        assertTrue(refused("{}", BodyForm.CLOUD_EVENT_BATCH).getMessage().contains(BodyForm.CLOUD_EVENT_TYPE));
        assertEquals(1, reader.items(bytes("{}"), BodyForm.CLOUD_EVENT).size());
        assertEquals(2, reader.items(bytes("[{},{}]"), BodyForm.CLOUD_EVENT_BATCH).size());
    }
}
