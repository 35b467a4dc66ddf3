package io.vendorusage.agent.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import io.vendorusage.agent.http.Problems;

/**
 * A configured bearer token, held only as its SHA-256 digest and compared in constant time, so neither
 * the value nor its length leaks through timing, logs or heap dumps of this object.
 */
public final class BearerToken {

    private static final String PREFIX = "Bearer ";

    private final byte[] digest;

    public BearerToken(String token) {
        this.digest = sha256(token);
    }

    /**
     * @param authorizationHeader the request's {@code Authorization} header, possibly null
     * @return whether it carries this token
     */
    public boolean matches(String authorizationHeader) {
        if (authorizationHeader == null || authorizationHeader.length() <= PREFIX.length()
                || !authorizationHeader.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return false;
        }
        String presented = authorizationHeader.substring(PREFIX.length()).strip();
        return MessageDigest.isEqual(digest, sha256(presented));
    }

    /**
     * @throws ProblemException 401 naming the token to send, when the header does not carry this token
     */
    public void require(String authorizationHeader, String tokenName) {
        if (!matches(authorizationHeader)) {
            throw Problems.unauthorized("Send the " + tokenName + " as 'Authorization: Bearer <token>'.");
        }
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    @Override
    public String toString() {
        return "BearerToken[redacted]";
    }
}
