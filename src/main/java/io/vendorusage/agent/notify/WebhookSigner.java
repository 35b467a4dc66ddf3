package io.vendorusage.agent.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a notification as Standard Webhooks specify: {@code v1,} and the base64 HMAC-SHA256 of
 * {@code "{webhook-id}.{webhook-timestamp}.{body}"}, keyed by the bytes the base64 part of a {@code whsec_}
 * secret stands for. The key never leaves this object, not even in {@link #toString()}.
 */
public final class WebhookSigner {

    static final String PREFIX = "whsec_";
    private final SecretKeySpec key;

    private WebhookSigner(byte[] key) {
        this.key = new SecretKeySpec(key, "HmacSHA256");
    }

    /**
     * @param secret {@code whsec_} followed by base64 (the prefix may be left out)
     * @throws IllegalArgumentException naming the property, never the value, when it is not base64 or too short
     */
    public static WebhookSigner of(String property, String secret) {
        String encoded = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
        byte[] key;
        try {
            key = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(property + ": must be whsec_ followed by base64");
        }
        if (key.length < 24) {
            throw new IllegalArgumentException(property + ": the key must be at least 24 bytes (32 base64 characters)"
                    + " long; it is " + key.length);
        }
        return new WebhookSigner(key);
    }

    /** @return the {@code webhook-signature} header's value */
    public String sign(String id, long timestampSeconds, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] digest = mac.doFinal((id + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "WebhookSigner[key hidden]";
    }
}
