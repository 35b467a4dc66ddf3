package io.vendorusage.agent.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The idempotency rule alone, without a store: what a group's requests get, in order. */
class IdempotencyTest {

    private static final Instant NOW = Instant.parse("2026-11-23T10:15:00Z");
    private static final String ORG = "3f6b2c1e-8a7d-4e55-9c1b-2d4f6a8b0c9e";

    private static NewEvent event(String id, String quantity) {
        return new NewEvent(id, ORG, "premium-minutes", new BigDecimal(quantity), NOW, false);
    }

    private static OutboxEvent stored(NewEvent e) {
        OutboxEvent s = new OutboxEvent();
        s.eventId = e.eventId();
        s.organizationId = e.organizationId();
        s.appId = e.appId();
        s.quantity = e.quantity();
        s.occurredAt = e.occurredAt();
        return s;
    }

    @Test
    void newEventsBecomeRowsInTheirWindow() {
        Idempotency rule = new Idempotency(Duration.ofHours(1), Map.of());
        Idempotency.Decision d = rule.decide(List.of(event("a", "1"), event("b", "2")), NOW);
        assertEquals(List.of(AppendOutcome.ACCEPTED, AppendOutcome.ACCEPTED), d.outcomes());
        assertEquals(2, d.rows().size());
        assertEquals(Instant.parse("2026-11-23T10:00:00Z"), d.rows().get(0).bucketStart());
        assertFalse(d.refused());
    }

    @Test
    void storedEventWithSameValueIsADuplicateWithoutARow() {
        Idempotency rule = new Idempotency(Duration.ofHours(1), Map.of("a", stored(event("a", "1.0"))));
        Idempotency.Decision d = rule.decide(List.of(event("a", "1"), event("b", "2")), NOW);
        assertEquals(List.of(AppendOutcome.DUPLICATE, AppendOutcome.ACCEPTED), d.outcomes());
        assertEquals(List.of("b"), d.rows().stream().map(r -> r.event().eventId()).toList());
    }

    @Test
    void aReusedIdWithOtherContentRefusesTheWholeRequestNamingItsIndex() {
        Idempotency rule = new Idempotency(Duration.ofHours(1), Map.of("a", stored(event("a", "1"))));
        Idempotency.Decision d = rule.decide(List.of(event("b", "2"), event("a", "5")), NOW);
        assertTrue(d.refused());
        assertEquals(List.of(new EventConflict.Conflict(1, "a")), d.conflicts());
        assertTrue(d.rows().isEmpty(), "nothing of a refused request is written");
    }

    @Test
    void laterRequestsOfTheGroupSeeWhatEarlierOnesTookButNotWhatARefusedOneCarried() {
        Idempotency rule = new Idempotency(Duration.ofHours(1), Map.of("x", stored(event("x", "1"))));
        rule.decide(List.of(event("a", "1")), NOW);
        Idempotency.Decision refused = rule.decide(List.of(event("b", "1"), event("x", "9")), NOW);
        assertTrue(refused.refused());
        Idempotency.Decision later = rule.decide(List.of(event("a", "1"), event("b", "3")), NOW);
        assertEquals(List.of(AppendOutcome.DUPLICATE, AppendOutcome.ACCEPTED), later.outcomes(),
                "a is taken by the first request; b was never taken, since its request was refused");
        Idempotency.Decision conflicting = rule.decide(List.of(event("a", "2")), NOW);
        assertEquals(List.of(new EventConflict.Conflict(0, "a")), conflicting.conflicts());
    }

    @Test
    void theSameIdTwiceInOneRequestIsStoredOnceOrRefusedWhenTheyDiffer() {
        Idempotency rule = new Idempotency(Duration.ofHours(1), Map.of());
        Idempotency.Decision same = rule.decide(List.of(event("a", "1"), event("a", "1.00")), NOW);
        assertEquals(List.of(AppendOutcome.ACCEPTED, AppendOutcome.DUPLICATE), same.outcomes());
        assertEquals(1, same.rows().size());
        Idempotency.Decision differ = new Idempotency(Duration.ofHours(1), Map.of())
                .decide(List.of(event("c", "1"), event("c", "2")), NOW);
        assertEquals(List.of(new EventConflict.Conflict(1, "c")), differ.conflicts());
    }
}
