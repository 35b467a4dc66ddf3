package io.vendorusage.agent.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The Standard Webhooks signature, against the specification's own example (checked with its Node library). */
class WebhookSignerTest {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long TIMESTAMP = 1614265330L;
    private static final String BODY = "{\"test\": 2432232314}";

    @Test
    void signsTheSpecificationsExample() {
        assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
                WebhookSigner.of("agent.notifications.secret", SECRET).sign(ID, TIMESTAMP, BODY));
    }

    @Test
    void theWhsecPrefixMayBeLeftOut() {
        assertEquals(WebhookSigner.of("p", SECRET).sign(ID, TIMESTAMP, BODY),
                WebhookSigner.of("p", SECRET.substring("whsec_".length())).sign(ID, TIMESTAMP, BODY));
    }

    @Test
    void everySignedPartCounts() {
        WebhookSigner signer = WebhookSigner.of("p", SECRET);
        String signature = signer.sign(ID, TIMESTAMP, BODY);
        assertNotEquals(signature, signer.sign(ID + "x", TIMESTAMP, BODY));
        assertNotEquals(signature, signer.sign(ID, TIMESTAMP + 1, BODY));
        assertNotEquals(signature, signer.sign(ID, TIMESTAMP, BODY + " "));
        assertNotEquals(signature, WebhookSigner.of("p", "whsec_" + "A".repeat(32)).sign(ID, TIMESTAMP, BODY));
    }

    @Test
    void aBadKeyIsRefusedNamingThePropertyNeverTheValue() {
        IllegalArgumentException notBase64 = assertThrows(IllegalArgumentException.class,
                () -> WebhookSigner.of("agent.notifications.secret", "whsec_not*base64*at-all-here-1234"));
        assertTrue(notBase64.getMessage().startsWith("agent.notifications.secret"), notBase64.getMessage());
        assertFalse(notBase64.getMessage().contains("not*base64"), notBase64.getMessage());
        IllegalArgumentException tooShort = assertThrows(IllegalArgumentException.class,
                () -> WebhookSigner.of("agent.notifications.secret", "whsec_c2hvcnQ="));
        assertTrue(tooShort.getMessage().contains("24 bytes"), tooShort.getMessage());
        // exactly 24 bytes is long enough
        WebhookSigner.of("p", "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[24]));
        assertThrows(IllegalArgumentException.class,
                () -> WebhookSigner.of("p", "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[23])));
    }

    @Test
    void theKeyNeverShowsInToString() {
        assertFalse(WebhookSigner.of("p", SECRET).toString().contains("MfKQ9r8"));
        assertEquals("WebhookSigner[key hidden]", WebhookSigner.of("p", SECRET).toString());
    }
}
