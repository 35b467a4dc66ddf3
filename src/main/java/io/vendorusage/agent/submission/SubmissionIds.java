package io.vendorusage.agent.submission;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/** Deterministic record ids: the same (organization, app, window, revision) always gives the same id. */
public final class SubmissionIds {

    private SubmissionIds() {
    }

    public static String of(String organizationId, String appId, Instant bucketStart, int revision) {
        String key = organizationId + '\n' + appId + '\n' + bucketStart.toEpochMilli() + '\n' + revision;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "sub-" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
