package io.vendorusage.agent.upstream;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads the usage query models leniently: unknown fields and unknown enum values (regions, contract
 * types) are kept or ignored, never an error; dates may be {@code yyyy-MM-dd} or full date-times.
 */
final class UsageParser {

    private UsageParser() {
    }

    static UsagePage page(JsonNode json) {
        List<OrganizationUsage> orgs = new ArrayList<>();
        for (JsonNode e : json.path("entities")) {
            Map<String, BigDecimal> quantities = new LinkedHashMap<>();
            e.path("usageQuantities").fields().forEachRemaining(f -> {
                if (f.getValue().isNumber()) {
                    quantities.put(f.getKey(), f.getValue().decimalValue());
                }
            });
            String id = e.path("id").asText(null);
            if (id != null) {
                orgs.add(new OrganizationUsage(id.toLowerCase(Locale.ROOT), e.path("name").asText(null),
                        e.path("region").asText(null), quantities));
            }
        }
        return new UsagePage(orgs, cursor(json.path("nextUri").asText(null)));
    }

    static OrganizationDetail detail(JsonNode json) {
        Map<String, BigDecimal> quantities = new LinkedHashMap<>();
        for (JsonNode u : json.path("usages")) {
            if (u.hasNonNull("appId") && u.path("usageQuantity").isNumber()) {
                quantities.merge(u.get("appId").asText(), u.get("usageQuantity").decimalValue(), BigDecimal::add);
            }
        }
        return new OrganizationDetail(json.path("id").asText("").toLowerCase(Locale.ROOT),
                json.path("region").asText(null),
                start(json.path("dateBillingPeriodStart").asText(null)),
                end(json.path("dateBillingPeriodEnd").asText(null)), quantities);
    }

    /** @return the {@code after} cursor of a nextUri, empty when there is no next page */
    static Optional<String> cursor(String nextUri) {
        if (nextUri == null || nextUri.isBlank()) {
            return Optional.empty();
        }
        String query = URI.create(nextUri.replace(" ", "%20")).getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith("after=") && pair.length() > 6) {
                    return Optional.of(java.net.URLDecoder.decode(pair.substring(6),
                            java.nio.charset.StandardCharsets.UTF_8));
                }
            }
        }
        throw new IllegalArgumentException("nextUri without an after cursor: " + nextUri);
    }

    /**
     * An end given as the period's last second ({@code 2026-02-14T23:59:59Z}, as Genesys words its periods) means
     * the next whole minute: no billing period turns within a minute's last second.
     */
    private static Instant inclusiveEnd(Instant instant, boolean endOfDay) {
        if (endOfDay && instant.atZone(ZoneOffset.UTC).getSecond() == 59) {
            return instant.truncatedTo(java.time.temporal.ChronoUnit.MINUTES).plusSeconds(60);
        }
        return instant;
    }

    /** A date means the start of that day (UTC). */
    static Instant start(String text) {
        return parse(text, false);
    }

    /** A date means the whole of that day, so the exclusive end is the next midnight (UTC). */
    static Instant end(String text) {
        return parse(text, true);
    }

    private static Instant parse(String text, boolean endOfDay) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return inclusiveEnd(OffsetDateTime.parse(text).toInstant(), endOfDay);
        } catch (DateTimeParseException notOffset) {
            try {
                return inclusiveEnd(Instant.parse(text), endOfDay);
            } catch (DateTimeParseException notInstant) {
                LocalDate day = LocalDate.parse(text.length() > 10 ? text.substring(0, 10) : text);
                return (endOfDay ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
        }
    }
}
